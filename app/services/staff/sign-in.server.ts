import { eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { staffUsers, type StaffUser } from "../../../db/schema";
import type { RequestMeta } from "../../audit/events";
import { recordEvent, streamForStaff } from "../../audit/record-event.server";
import { hashPassword, verifyPassword } from "../../auth/password.server";
import {
  blockedFor,
  clearLimit,
  consumeLimits,
  LOCKOUT_MINUTES,
} from "../../auth/rate-limit.server";
import { closeStaffSession } from "../../auth/staff-session.server";
import { checkTotpCode, decryptTotpSecret } from "../../auth/totp.server";

export type SignInResult =
  | { kind: "signed_in"; user: StaffUser; needsSecondFactor: boolean }
  /** Unknown email, wrong password and disabled account all give this one answer. */
  | { kind: "invalid" }
  /** Too many wrong passwords for this email (known or not): locked for a while. */
  | { kind: "locked"; retryAfterSeconds: number }
  /** Too many attempts from this address. */
  | { kind: "rate_limited"; retryAfterSeconds: number };

// Verifying against a real hash when the email is unknown keeps the answer time the same.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword("not-a-real-password-just-timing"));

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export async function findStaffByEmail(db: Db, email: string): Promise<StaffUser | undefined> {
  const [user] = await db
    .select()
    .from(staffUsers)
    .where(sql`lower(${staffUsers.email}) = ${emailKey(email)}`);
  return user;
}

export async function signIn(
  db: Db,
  input: { email: string; password: string; meta: RequestMeta; now?: Date },
): Promise<SignInResult> {
  const now = input.now ?? new Date();
  const key = emailKey(input.email);
  const byIp = await consumeLimits(db, [{ name: "signInByIp", key: input.meta.ip ?? "unknown" }]);
  if (!byIp.ok) return { kind: "rate_limited", retryAfterSeconds: byIp.retryAfterSeconds };
  const locked = await blockedFor(db, "signInFailures", key);
  if (locked > 0) return { kind: "locked", retryAfterSeconds: locked };

  const user = await findStaffByEmail(db, key);
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummy()), input.password);
  if (user && passwordOk && user.disabledAt === null) {
    await clearLimit(db, "signInFailures", key);
    await db.transaction(async (tx) => {
      await tx
        .update(staffUsers)
        .set({ failedSignIns: 0, lockedUntil: null, lastSignInAt: now, updatedAt: now })
        .where(eq(staffUsers.id, user.id));
      await recordEvent(tx, {
        stream: streamForStaff(user.id),
        type: "staff.session",
        actor: { type: "staff", id: user.id },
        meta: input.meta,
        occurredAt: now,
        data: { action: "signed_in" },
      });
    });
    return { kind: "signed_in", user, needsSecondFactor: user.totpSecret !== null };
  }

  const counted = await consumeLimits(db, [{ name: "signInFailures", key }]);
  const nowLocked = !counted.ok || (await blockedFor(db, "signInFailures", key)) > 0;
  if (user) {
    await db.transaction(async (tx) => {
      await tx
        .update(staffUsers)
        .set({
          failedSignIns: sql`${staffUsers.failedSignIns} + 1`,
          lockedUntil: nowLocked ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : undefined,
          updatedAt: now,
        })
        .where(eq(staffUsers.id, user.id));
      await recordEvent(tx, {
        stream: streamForStaff(user.id),
        type: "staff.session",
        actor: { type: "staff", id: user.id },
        meta: input.meta,
        occurredAt: now,
        data: { action: nowLocked ? "locked" : "sign_in_failed" },
      });
    });
  }
  return nowLocked
    ? { kind: "locked", retryAfterSeconds: LOCKOUT_MINUTES * 60 }
    : { kind: "invalid" };
}

export type SecondFactorResult = "ok" | "invalid" | "too_many";

/** The code step after a password: five wrong codes end the half-open session. */
export async function checkSecondFactor(
  db: Db,
  input: {
    user: { id: string; totpSecret: string | null };
    code: string;
    secret: string;
    meta: RequestMeta;
  },
): Promise<SecondFactorResult> {
  const blocked = await blockedFor(db, "secondFactorFailures", input.user.id);
  if (blocked > 0) return "too_many";
  if (input.user.totpSecret === null) return "invalid";
  const base32 = decryptTotpSecret(input.secret, input.user.totpSecret);
  if (checkTotpCode(base32, input.code)) {
    await clearLimit(db, "secondFactorFailures", input.user.id);
    return "ok";
  }
  const counted = await consumeLimits(db, [{ name: "secondFactorFailures", key: input.user.id }]);
  await recordEvent(db, {
    stream: streamForStaff(input.user.id),
    type: "staff.session",
    actor: { type: "staff", id: input.user.id },
    meta: input.meta,
    data: { action: "second_factor_failed" },
  });
  return counted.ok && (await blockedFor(db, "secondFactorFailures", input.user.id)) === 0
    ? "invalid"
    : "too_many";
}

/** Ends this browser's session, and says so in the account's trail. */
export async function signOut(
  db: Db,
  input: { tokenHash: string; staffUserId: string; meta: RequestMeta },
): Promise<void> {
  await db.transaction(async (tx) => {
    await closeStaffSession(tx, input.tokenHash);
    await recordEvent(tx, {
      stream: streamForStaff(input.staffUserId),
      type: "staff.session",
      actor: { type: "staff", id: input.staffUserId },
      meta: input.meta,
      data: { action: "signed_out" },
    });
  });
}
