import { z } from "zod";
import { instantInZone, isValidIsoDate, type IsoDate } from "~/domain/dates";
import { CARRIER_EVENT_KINDS, ITEM_CONDITIONS, STAFF_ROLES } from "~/domain/enums";
import type { MessageKey } from "~/i18n/i18n";

// The back office's forms. Messages are translation keys (see app/i18n/messages/staff.*.ts).

const email = z
  .string()
  .trim()
  .min(1, "staff.error.emailRequired")
  .max(254, "staff.error.emailInvalid")
  .pipe(z.email("staff.error.emailInvalid"));

export const SignInSchema = z.object({
  email,
  password: z
    .string()
    .min(1, "staff.error.passwordRequired")
    .max(200, "staff.error.passwordRequired"),
});

export const CodeSchema = z.object({
  code: z
    .string()
    .transform((value) => value.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "staff.error.code")),
});

export const ForgotPasswordSchema = z.object({ email });

export const PASSWORD_MIN = 12;
const newPassword = z
  .string()
  .min(PASSWORD_MIN, "staff.error.passwordTooShort")
  .max(200, "staff.error.passwordTooLong");

export const NewPasswordSchema = z
  .object({ password: newPassword, confirm: z.string() })
  .refine((value) => value.password === value.confirm, {
    path: ["confirm"],
    message: "staff.error.passwordMismatch",
  });

export const ChangePasswordSchema = z
  .object({
    current: z.string().min(1, "staff.error.currentRequired").max(200),
    password: newPassword,
    confirm: z.string(),
  })
  .refine((value) => value.password === value.confirm, {
    path: ["confirm"],
    message: "staff.error.passwordMismatch",
  });

export const NewStaffSchema = z.object({
  email,
  displayName: z
    .string()
    .trim()
    .min(1, "staff.error.nameRequired")
    .max(120, "staff.error.nameRequired"),
  role: z.enum(STAFF_ROLES, { error: "staff.error.role" }),
});

export const RoleSchema = z.object({ role: z.enum(STAFF_ROLES, { error: "staff.error.role" }) });

// Returns and refunds (operations).

/** A reception: the items ticked as in the parcel, each with its condition. */
export const ReceptionSchema = z.object({
  items: z
    .array(
      z.object({
        equipmentId: z.uuid("staff.return.error.noItem"),
        condition: z.enum(ITEM_CONDITIONS, { error: "staff.return.error.condition" }),
      }),
    )
    .min(1, "staff.return.error.noItem"),
});

const optionalText = (max: number, message: MessageKey) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((value) => (value === "" ? null : value));

/**
 * A carrier event typed at reception. The time is a `datetime-local` value read in the
 * operator's zone; a little slack for clocks, but no event from the future.
 */
export function carrierEventSchema(timeZone: string, now: Date) {
  return z.object({
    kind: z.enum(CARRIER_EVENT_KINDS, { error: "staff.return.error.eventKind" }),
    occurredAt: z
      .string()
      .transform((value, context) => {
        const instant = instantInZone(value, timeZone);
        if (instant === null) {
          context.addIssue({ code: "custom", message: "staff.return.error.eventTime" });
          return z.NEVER;
        }
        return instant;
      })
      .refine(
        (instant) => instant.getTime() <= now.getTime() + 5 * 60_000,
        "staff.return.error.eventFuture",
      ),
    carrier: optionalText(60, "staff.return.error.carrierTooLong"),
    trackingNumber: optionalText(60, "staff.return.error.trackingTooLong"),
    location: optionalText(120, "staff.return.error.locationTooLong"),
  });
}

/** Marking a refund paid: the bank transfer's reference, and an explicit confirmation. */
export const IssueRefundSchema = z.object({
  paymentReference: z
    .string()
    .trim()
    .min(1, "staff.refund.error.referenceRequired")
    .min(3, "staff.refund.error.referenceLength")
    .max(60, "staff.refund.error.referenceLength")
    .regex(/^[A-Za-z0-9 _-]+$/, "staff.refund.error.referenceCharacters"),
  confirm: z.literal("on", { error: "staff.refund.error.confirm" }),
});

/** The day the last invoice was paid (starts the legal clock): a real date, not in the future. */
export function lastInvoicePaidSchema(today: IsoDate) {
  return z.object({
    paidOn: z
      .string()
      .refine(isValidIsoDate, "staff.refund.error.paidOn")
      .refine((value) => value <= today, "staff.refund.error.paidOnFuture"),
  });
}
