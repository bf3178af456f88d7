import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { staffUsers } from "../../../db/schema";
import type { RequestMeta } from "../../audit/events";
import { recordEvent, streamForStaff } from "../../audit/record-event.server";
import {
  checkTotpCode,
  decryptTotpSecret,
  encryptTotpSecret,
  newTotpSecret,
  totpEnrolment,
} from "../../auth/totp.server";
import { loadPortalOperator } from "../load-operator-branding.server";

// Turning the TOTP second factor on and off, for one's own account. Until it is confirmed with
// a correct code, the new secret travels only inside the form, encrypted with the server key.

export interface TotpSetup {
  /** The QR code to scan (SVG data URL). */
  qr: string;
  /** The same secret, in groups of four, for typing into the app. */
  secret: string;
  /** The encrypted secret the confirmation form sends back. */
  pending: string;
}

async function setupFor(db: Db, sessionSecret: string, email: string, base32: string) {
  const operator = await loadPortalOperator(db);
  const enrolment = await totpEnrolment(base32, email, operator?.displayName ?? "Easy Exit");
  return {
    qr: enrolment.qrSvgDataUrl,
    secret: base32.replace(/(.{4})/g, "$1 ").trim(),
    pending: encryptTotpSecret(sessionSecret, base32),
  };
}

export function startTotpSetup(db: Db, sessionSecret: string, email: string): Promise<TotpSetup> {
  return setupFor(db, sessionSecret, email, newTotpSecret());
}

async function saveTotpSecret(
  db: Db,
  input: { staffUserId: string; encryptedSecret: string | null; meta: RequestMeta },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(staffUsers)
      .set({ totpSecret: input.encryptedSecret, updatedAt: new Date() })
      .where(eq(staffUsers.id, input.staffUserId));
    await recordEvent(tx, {
      stream: streamForStaff(input.staffUserId),
      type: "staff.account",
      actor: { type: "staff", id: input.staffUserId },
      meta: input.meta,
      data: { action: input.encryptedSecret === null ? "totp_disabled" : "totp_enabled" },
    });
  });
}

/** Turns the second factor on once the person proves their app shows the right codes. */
export async function confirmTotpSetup(
  db: Db,
  input: {
    staffUserId: string;
    email: string;
    sessionSecret: string;
    pending: string;
    code: string | null;
    meta: RequestMeta;
  },
): Promise<{ kind: "enabled" } | { kind: "expired" } | { kind: "wrong_code"; setup: TotpSetup }> {
  let base32: string;
  try {
    base32 = decryptTotpSecret(input.sessionSecret, input.pending);
  } catch {
    return { kind: "expired" };
  }
  if (input.code === null || !checkTotpCode(base32, input.code))
    return {
      kind: "wrong_code",
      setup: await setupFor(db, input.sessionSecret, input.email, base32),
    };
  await saveTotpSecret(db, {
    staffUserId: input.staffUserId,
    encryptedSecret: encryptTotpSecret(input.sessionSecret, base32),
    meta: input.meta,
  });
  return { kind: "enabled" };
}

/** Turns the second factor off; a current code is needed, as for signing in. */
export async function disableTotp(
  db: Db,
  input: { staffUserId: string; sessionSecret: string; code: string | null; meta: RequestMeta },
): Promise<"disabled" | "wrong_code"> {
  const [user] = await db
    .select({ totpSecret: staffUsers.totpSecret })
    .from(staffUsers)
    .where(eq(staffUsers.id, input.staffUserId));
  const stored = user?.totpSecret ?? null;
  if (
    input.code === null ||
    stored === null ||
    !checkTotpCode(decryptTotpSecret(input.sessionSecret, stored), input.code)
  )
    return "wrong_code";
  await saveTotpSecret(db, {
    staffUserId: input.staffUserId,
    encryptedSecret: null,
    meta: input.meta,
  });
  return "disabled";
}
