import type { LoaderFunctionArgs } from "@remix-run/node";
import { readMailboxMessage } from "~/mail/dev-mailbox.server";
import { requireMailboxDir } from "./mailbox-access.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const message = await readMailboxMessage(requireMailboxDir(context), params.id ?? "");
  const attachment = message?.attachments[Number(params.index)];
  if (!attachment) throw new Response("Not Found", { status: 404 });
  return new Response(new Uint8Array(attachment.content), {
    headers: {
      "Content-Type": attachment.contentType,
      "Content-Disposition": `attachment; filename="${attachment.filename.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
}
