import type { AppLoadContext } from "@remix-run/node";
import { ensureTerminationLetter } from "~/services/ensure-termination-letter.server";

/** The termination letter as a download (rendered now if its job has not run yet). */
export async function letterResponse(context: AppLoadContext, caseId: string): Promise<Response> {
  const letter = await ensureTerminationLetter(context.db, caseId, context.env.APP_URL);
  return new Response(new Uint8Array(letter.bytes), {
    headers: {
      "Content-Type": letter.contentType,
      "Content-Length": String(letter.sizeBytes),
      "Content-Disposition": `attachment; filename="${letter.fileName}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
