import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { SIGN_IN_PATH } from "~/auth/staff-access";
import { readStaffSession, sessionCookie } from "~/auth/staff-session.server";
import { signOut } from "~/services/staff/sign-in.server";

// Signing out is a POST (a link or an image cannot sign anyone out); GET just goes home.
export async function loader() {
  throw redirect("/staff", 303);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await readStaffSession(context.db, request);
  if (session) {
    await signOut(context.db, {
      tokenHash: session.tokenHash,
      staffUserId: session.user.id,
      meta: context.requestMeta,
    });
  }
  throw redirect(`${SIGN_IN_PATH}?status=signed-out`, {
    status: 303,
    headers: { "Set-Cookie": sessionCookie(context, null) },
  });
}
