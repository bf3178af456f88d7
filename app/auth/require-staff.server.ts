import { data, redirect, type AppLoadContext } from "@remix-run/node";
import type { Actor } from "../audit/events";
import type { StaffRole } from "../domain/enums";
import { SIGN_IN_PATH, type StaffAccess } from "./staff-access";
import {
  readStaffSession,
  sessionCookie,
  sessionTokenHash,
  type StaffSessionInfo,
} from "./staff-session.server";

export interface StaffContext {
  staff: { id: string; email: string; displayName: string; role: StaffRole; totp: boolean };
  tokenHash: string;
  /** The signed-in staff member as the actor of audit events. */
  actor: Actor;
}

export function toStaffContext(session: StaffSessionInfo): StaffContext {
  const { user } = session;
  return {
    staff: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      totp: user.totpSecret !== null,
    },
    tokenHash: session.tokenHash,
    actor: { type: "staff", id: user.id },
  };
}

/**
 * The guard of every staff loader and action: an anonymous request goes to sign-in (and comes
 * back afterwards), a half-signed-in one (TOTP pending) to the code page, and a role that is not
 * in the page's `view` (GET) or `act` (any other method) list gets 403.
 */
export async function requireStaff(
  args: { request: Request; context: AppLoadContext },
  access: StaffAccess,
): Promise<StaffContext> {
  const { request, context } = args;
  const session = await readStaffSession(context.db, request);
  if (!session) {
    const url = new URL(request.url);
    const next = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
    // A cookie without a live session: it expired (idle or too old) or was signed out elsewhere.
    const expired = sessionTokenHash(request) !== null;
    throw redirect(
      `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}${expired ? "&status=expired" : ""}`,
      expired
        ? { status: 303, headers: { "Set-Cookie": sessionCookie(context, null) } }
        : { status: 303 },
    );
  }
  if (!session.secondFactorDone) throw redirect(`${SIGN_IN_PATH}/code`, 303);
  const reading = request.method === "GET" || request.method === "HEAD";
  const allowed = (reading ? access.view : access.act) as readonly StaffRole[];
  if (!allowed.includes(session.user.role)) {
    throw data({ reason: "forbidden" }, { status: 403 });
  }
  return toStaffContext(session);
}
