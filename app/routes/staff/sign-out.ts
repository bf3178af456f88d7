import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { recordEvent } from "~/audit/record-event.server";
import { SIGN_IN_PATH } from "~/auth/staff-access";
import { closeStaffSession, readStaffSession, sessionCookie } from "~/auth/staff-session.server";

// Signing out is a POST (a link or an image cannot sign anyone out); GET just goes home.
export async function loader() {
  throw redirect("/staff", 303);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await readStaffSession(context.db, request);
  if (session) {
    await closeStaffSession(context.db, session.tokenHash);
    await recordEvent(context.db, {
      stream: `staff:${session.user.id}`,
      type: "staff.session",
      actor: { type: "staff", id: session.user.id },
      meta: context.requestMeta,
      data: { action: "signed_out" },
    });
  }
  throw redirect(`${SIGN_IN_PATH}?status=signed-out`, {
    status: 303,
    headers: { "Set-Cookie": sessionCookie(context, null) },
  });
}
