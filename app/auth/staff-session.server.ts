import { and, eq, ne } from "drizzle-orm";
import type { AppLoadContext } from "@remix-run/node";
import type { Queryable } from "../../db/client";
import { staffSessions, staffUsers, type StaffUser } from "../../db/schema";
import { hashToken, newToken } from "./tokens.server";

// Staff sessions live in Postgres: the cookie holds a random token, the table its SHA-256.
// A session ends after IDLE_MINUTES without a request or ABSOLUTE_HOURS after sign-in,
// whichever comes first; signing in always issues a new token (no fixation).
export const STAFF_COOKIE = "ee_staff";
export const IDLE_MINUTES = 30;
export const ABSOLUTE_HOURS = 12;
const TOUCH_AFTER_MS = 60_000;

export interface StaffSessionInfo {
  tokenHash: string;
  secondFactorDone: boolean;
  createdAt: Date;
  user: Pick<StaffUser, "id" | "email" | "displayName" | "role" | "totpSecret">;
}

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

export function sessionCookie(context: AppLoadContext, token: string | null): string {
  const secure = context.env.APP_URL.startsWith("https://") ? "; Secure" : "";
  return token === null
    ? `${STAFF_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure}`
    : `${STAFF_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ABSOLUTE_HOURS * 3600}${secure}`;
}

export function sessionTokenHash(request: Request): string | null {
  const token = readCookie(request, STAFF_COOKIE);
  return token && /^[A-Za-z0-9_-]{43}$/.test(token) ? hashToken(token) : null;
}

/** Opens a session (and ends the one this browser had, if any). Returns the Set-Cookie value. */
export async function openStaffSession(
  db: Queryable,
  context: AppLoadContext,
  input: { request: Request; staffUserId: string; secondFactorDone: boolean; now?: Date },
): Promise<string> {
  const previous = sessionTokenHash(input.request);
  if (previous) await db.delete(staffSessions).where(eq(staffSessions.tokenHash, previous));
  const now = input.now ?? new Date();
  const { token, hash } = newToken();
  await db.insert(staffSessions).values({
    tokenHash: hash,
    staffUserId: input.staffUserId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ABSOLUTE_HOURS * 3600_000),
    secondFactorDone: input.secondFactorDone,
    ip: context.requestMeta.ip,
    userAgent: context.requestMeta.userAgent?.slice(0, 300) ?? null,
  });
  return sessionCookie(context, token);
}

/** The live session of this request, or null (missing, expired, idle too long, account disabled). */
export async function readStaffSession(
  db: Queryable,
  request: Request,
  now = new Date(),
): Promise<StaffSessionInfo | null> {
  const tokenHash = sessionTokenHash(request);
  if (!tokenHash) return null;
  const [row] = await db
    .select({
      tokenHash: staffSessions.tokenHash,
      secondFactorDone: staffSessions.secondFactorDone,
      createdAt: staffSessions.createdAt,
      lastSeenAt: staffSessions.lastSeenAt,
      expiresAt: staffSessions.expiresAt,
      user: {
        id: staffUsers.id,
        email: staffUsers.email,
        displayName: staffUsers.displayName,
        role: staffUsers.role,
        totpSecret: staffUsers.totpSecret,
        disabledAt: staffUsers.disabledAt,
      },
    })
    .from(staffSessions)
    .innerJoin(staffUsers, eq(staffUsers.id, staffSessions.staffUserId))
    .where(eq(staffSessions.tokenHash, tokenHash));
  if (!row) return null;
  const idle = now.getTime() - row.lastSeenAt.getTime() > IDLE_MINUTES * 60_000;
  if (idle || row.expiresAt <= now || row.user.disabledAt !== null) {
    await db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db
      .update(staffSessions)
      .set({ lastSeenAt: now })
      .where(eq(staffSessions.tokenHash, tokenHash));
  }
  const { disabledAt: _disabled, ...user } = row.user;
  return {
    tokenHash: row.tokenHash,
    secondFactorDone: row.secondFactorDone,
    createdAt: row.createdAt,
    user,
  };
}

export async function completeSecondFactor(db: Queryable, tokenHash: string): Promise<void> {
  await db
    .update(staffSessions)
    .set({ secondFactorDone: true })
    .where(eq(staffSessions.tokenHash, tokenHash));
}

export async function closeStaffSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.delete(staffSessions).where(eq(staffSessions.tokenHash, tokenHash));
}

/** Sign-out everywhere: every session of the account, or every one but `keep`. */
export async function closeAllStaffSessions(
  db: Queryable,
  staffUserId: string,
  keep?: string,
): Promise<number> {
  const rows = await db
    .delete(staffSessions)
    .where(
      keep
        ? and(eq(staffSessions.staffUserId, staffUserId), ne(staffSessions.tokenHash, keep))
        : eq(staffSessions.staffUserId, staffUserId),
    )
    .returning({ tokenHash: staffSessions.tokenHash });
  return rows.length;
}
