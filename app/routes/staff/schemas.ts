import { z } from "zod";
import { STAFF_ROLES } from "~/domain/enums";

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
