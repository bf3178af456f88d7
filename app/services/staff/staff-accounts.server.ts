import { createHmac, randomBytes } from "node:crypto";
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { staffPasswordResets, staffUsers, type StaffUser } from "../../../db/schema";
import type { Actor, RequestMeta } from "../../audit/events";
import { recordEvent, streamForStaff } from "../../audit/record-event.server";
import { hashPassword, verifyPassword } from "../../auth/password.server";
import { clearLimit, consumeLimits } from "../../auth/rate-limit.server";
import { closeAllStaffSessions } from "../../auth/staff-session.server";
import { hashToken } from "../../auth/tokens.server";
import type { StaffRole } from "../../domain/enums";
import { isUuid } from "../../domain/ids";
import type { Lang } from "../../i18n/i18n";
import type { AppJobCatalogue } from "../../jobs/catalogue";
import type { JobQueue } from "../../jobs/job-queue.server";
import { emailKey, findStaffByEmail } from "./sign-in.server";

export const RESET_MINUTES = 30;
export const WELCOME_HOURS = 72;

/**
 * The one-time link of a password reset: an HMAC of a random nonce with the server secret.
 * The job that emails it carries only the nonce, the table only the token's SHA-256: neither the
 * job table nor the reset table alone gives a usable link.
 */
export function resetToken(secret: string, nonce: string): string {
  return createHmac("sha256", secret).update(`staff-reset:${nonce}`).digest("base64url");
}

export function resetUrl(appUrl: string, token: string): string {
  return new URL(`/staff/mot-de-passe/${token}`, appUrl).toString();
}

interface ResetDeps {
  db: Db;
  /** Null from the CLI, which prints the link instead of emailing it. */
  jobs: JobQueue<AppJobCatalogue> | null;
  secret: string;
}

/** Creates a link and returns its token (the CLI prints it; the UI emails it). */
async function issueResetLink(
  deps: ResetDeps,
  input: {
    user: StaffUser;
    purpose: "reset" | "welcome";
    lang: Lang;
    actor: Actor;
    meta: RequestMeta;
  },
): Promise<string> {
  const nonce = randomBytes(24).toString("base64url");
  const token = resetToken(deps.secret, nonce);
  const validMs = input.purpose === "welcome" ? WELCOME_HOURS * 3600_000 : RESET_MINUTES * 60_000;
  await deps.db.transaction(async (tx) => {
    await tx.insert(staffPasswordResets).values({
      tokenHash: hashToken(token),
      staffUserId: input.user.id,
      expiresAt: new Date(Date.now() + validMs),
    });
    await recordEvent(tx, {
      stream: streamForStaff(input.user.id),
      type: "staff.account",
      actor: input.actor,
      meta: input.meta,
      data: { action: "password_reset_requested" },
    });
    await deps.jobs?.enqueue(tx, "staff.send-password-link", {
      staffUserId: input.user.id,
      nonce,
      purpose: input.purpose,
      lang: input.lang,
    });
  });
  return token;
}

/**
 * "Forgot my password": the same answer whether the email has an account or not (the caller
 * shows one message); rate-limited by address and by email.
 */
export async function requestPasswordReset(
  deps: ResetDeps,
  input: { email: string; lang: Lang; meta: RequestMeta },
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const limited = await consumeLimits(deps.db, [
    { name: "passwordResetByIp", key: input.meta.ip ?? "unknown" },
    { name: "passwordResetByEmail", key: emailKey(input.email) },
  ]);
  if (!limited.ok) return limited;
  const user = await findStaffByEmail(deps.db, input.email);
  if (user && user.disabledAt === null) {
    await issueResetLink(deps, {
      user,
      purpose: "reset",
      lang: input.lang,
      actor: { type: "staff", id: user.id },
      meta: input.meta,
    });
  }
  return { ok: true };
}

/** The account a reset link opens, or null (unknown, used or expired). */
export async function findResetLink(
  db: Db,
  token: string,
  now = new Date(),
): Promise<{ user: StaffUser; tokenHash: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const [row] = await db
    .select({ user: staffUsers })
    .from(staffPasswordResets)
    .innerJoin(staffUsers, eq(staffUsers.id, staffPasswordResets.staffUserId))
    .where(
      and(
        eq(staffPasswordResets.tokenHash, tokenHash),
        isNull(staffPasswordResets.usedAt),
        gt(staffPasswordResets.expiresAt, now),
        isNull(staffUsers.disabledAt),
      ),
    );
  return row ? { user: row.user, tokenHash } : null;
}

/** Sets a new password from a link: the link is spent, every session ends, the lock is lifted. */
export async function resetPassword(
  db: Db,
  input: { token: string; password: string; meta: RequestMeta },
): Promise<"ok" | "invalid_link"> {
  const link = await findResetLink(db, input.token);
  if (!link) return "invalid_link";
  const passwordHash = await hashPassword(input.password);
  const spent = await db.transaction(async (tx) => {
    const used = await tx
      .update(staffPasswordResets)
      .set({ usedAt: new Date() })
      .where(
        and(eq(staffPasswordResets.tokenHash, link.tokenHash), isNull(staffPasswordResets.usedAt)),
      )
      .returning({ tokenHash: staffPasswordResets.tokenHash });
    if (used.length === 0) return false;
    await tx
      .update(staffUsers)
      .set({ passwordHash, failedSignIns: 0, lockedUntil: null, updatedAt: new Date() })
      .where(eq(staffUsers.id, link.user.id));
    await closeAllStaffSessions(tx, link.user.id);
    await recordEvent(tx, {
      stream: streamForStaff(link.user.id),
      type: "staff.account",
      actor: { type: "staff", id: link.user.id },
      meta: input.meta,
      data: { action: "password_reset" },
    });
    return true;
  });
  if (!spent) return "invalid_link";
  await clearLimit(db, "signInFailures", emailKey(link.user.email));
  return "ok";
}

/** Changing one's own password needs the current one; other sessions end. */
export async function changePassword(
  db: Db,
  input: {
    staffUserId: string;
    keepSession: string;
    current: string;
    password: string;
    meta: RequestMeta;
  },
): Promise<"ok" | "wrong_current"> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, input.staffUserId));
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) return "wrong_current";
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(staffUsers.id, user.id));
    await closeAllStaffSessions(tx, user.id, input.keepSession);
    await recordEvent(tx, {
      stream: streamForStaff(user.id),
      type: "staff.account",
      actor: { type: "staff", id: user.id },
      meta: input.meta,
      data: { action: "password_changed" },
    });
  });
  return "ok";
}

/** One account as admin sees it (never its password hash or TOTP secret), or null. */
export async function loadStaffAccount(db: Db, staffUserId: string) {
  if (!isUuid(staffUserId)) return null;
  const [person] = await db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      displayName: staffUsers.displayName,
      role: staffUsers.role,
      totp: sql<boolean>`${staffUsers.totpSecret} is not null`,
      lockedUntil: staffUsers.lockedUntil,
      disabledAt: staffUsers.disabledAt,
      lastSignInAt: staffUsers.lastSignInAt,
    })
    .from(staffUsers)
    .where(eq(staffUsers.id, staffUserId));
  return person ?? null;
}

export async function listStaff(db: Db) {
  return db
    .select({
      id: staffUsers.id,
      email: staffUsers.email,
      displayName: staffUsers.displayName,
      role: staffUsers.role,
      totp: sql<boolean>`${staffUsers.totpSecret} is not null`,
      lockedUntil: staffUsers.lockedUntil,
      disabledAt: staffUsers.disabledAt,
      lastSignInAt: staffUsers.lastSignInAt,
    })
    .from(staffUsers)
    .orderBy(asc(staffUsers.displayName), asc(staffUsers.id));
}

/**
 * A new account has no usable password: the person chooses one from the emailed link (valid
 * WELCOME_HOURS). Returns the link's token, or "email_taken".
 */
export async function createStaffAccount(
  deps: ResetDeps,
  input: {
    email: string;
    displayName: string;
    role: StaffRole;
    lang: Lang;
    actor: Actor;
    meta: RequestMeta;
  },
): Promise<{ kind: "created"; user: StaffUser; token: string } | { kind: "email_taken" }> {
  if (await findStaffByEmail(deps.db, input.email)) return { kind: "email_taken" };
  // Nobody knows this password: the account opens through the link only.
  const passwordHash = await hashPassword(randomBytes(32).toString("base64url"));
  let user: StaffUser;
  try {
    user = await deps.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(staffUsers)
        .values({
          email: input.email.trim(),
          displayName: input.displayName.trim(),
          role: input.role,
          passwordHash,
        })
        .returning();
      await recordEvent(tx, {
        stream: streamForStaff(created!.id),
        type: "staff.account",
        actor: input.actor,
        meta: input.meta,
        data: { action: "created", role: input.role },
      });
      return created!;
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause ?? (error as { code?: string });
    if (cause.code === "23505") return { kind: "email_taken" };
    throw error;
  }
  const token = await issueResetLink(deps, {
    user,
    purpose: "welcome",
    lang: input.lang,
    actor: input.actor,
    meta: input.meta,
  });
  return { kind: "created", user, token };
}

export type StaffChange =
  | { action: "role"; role: StaffRole }
  | { action: "disable" }
  | { action: "enable" }
  | { action: "unlock" }
  | { action: "sign_out_everywhere" };

/** An admin's change to an account. An admin cannot disable or demote themselves. */
export async function changeStaffAccount(
  db: Db,
  input: { staffUserId: string; change: StaffChange; actor: Actor; meta: RequestMeta },
): Promise<"ok" | "not_found" | "self"> {
  const [user] = await db.select().from(staffUsers).where(eq(staffUsers.id, input.staffUserId));
  if (!user) return "not_found";
  const { change } = input;
  const self = input.actor.id === user.id;
  if (self && (change.action === "disable" || change.action === "role")) return "self";
  const now = new Date();
  await db.transaction(async (tx) => {
    const audit = (data: Parameters<typeof recordEvent<"staff.account">>[1]["data"]) =>
      recordEvent(tx, {
        stream: streamForStaff(user.id),
        type: "staff.account",
        actor: input.actor,
        meta: input.meta,
        data,
      });
    switch (change.action) {
      case "role":
        await tx
          .update(staffUsers)
          .set({ role: change.role, updatedAt: now })
          .where(eq(staffUsers.id, user.id));
        await closeAllStaffSessions(tx, user.id);
        await audit({ action: "role_changed", role: change.role });
        break;
      case "disable":
        await tx
          .update(staffUsers)
          .set({ disabledAt: now, updatedAt: now })
          .where(eq(staffUsers.id, user.id));
        await closeAllStaffSessions(tx, user.id);
        await audit({ action: "disabled" });
        break;
      case "enable":
        await tx
          .update(staffUsers)
          .set({ disabledAt: null, updatedAt: now })
          .where(eq(staffUsers.id, user.id));
        await audit({ action: "enabled" });
        break;
      case "unlock":
        await tx
          .update(staffUsers)
          .set({ failedSignIns: 0, lockedUntil: null, updatedAt: now })
          .where(eq(staffUsers.id, user.id));
        await audit({ action: "unlocked" });
        break;
      case "sign_out_everywhere":
        await closeAllStaffSessions(tx, user.id);
        await recordEvent(tx, {
          stream: streamForStaff(user.id),
          type: "staff.session",
          actor: input.actor,
          meta: input.meta,
          data: { action: "signed_out_everywhere" },
        });
        break;
    }
  });
  if (change.action === "unlock") await clearLimit(db, "signInFailures", emailKey(user.email));
  return "ok";
}

/** For the CLI: an account (created or existing) and a fresh link to set its password. */
export async function createOrResetFromCli(
  deps: ResetDeps,
  input: { email: string; displayName: string; role: StaffRole },
): Promise<{ created: boolean; token: string; user: StaffUser }> {
  const meta = { ip: null, userAgent: "staff:create CLI" };
  const actor: Actor = { type: "system", id: null };
  const created = await createStaffAccount(deps, { ...input, lang: "fr", actor, meta });
  if (created.kind === "created")
    return { created: true, token: created.token, user: created.user };
  const user = (await findStaffByEmail(deps.db, input.email))!;
  const token = await issueResetLink(deps, { user, purpose: "welcome", lang: "fr", actor, meta });
  return { created: false, token, user };
}
