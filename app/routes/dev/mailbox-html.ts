import type { LoaderFunctionArgs } from "@remix-run/node";
import { readMailboxMessage } from "~/mail/dev-mailbox.server";
import { requireMailboxDir } from "./mailbox-access.server";

// The HTML part as the recipient's mail client would show it, sandboxed: no script, no form.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const message = await readMailboxMessage(requireMailboxDir(context), params.id ?? "");
  if (message?.html == null) throw new Response("Not Found", { status: 404 });
  return new Response(message.html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      "Cache-Control": "no-store",
    },
  });
}
