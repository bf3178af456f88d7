import { TextField, type FieldErrors } from "~/components/form";
import { useI18n } from "~/i18n/use-i18n";
import { PASSWORD_MIN } from "./schemas";

/**
 * "New password" and its confirmation (NewPasswordSchema / ChangePasswordSchema), with the
 * account's email as a hidden username so password managers file it under the right account.
 */
export function NewPasswordFields({ email, errors }: { email: string; errors: FieldErrors }) {
  const { t } = useI18n();
  return (
    <>
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <TextField
        name="password"
        type="password"
        label={t("staff.field.newPassword")}
        hint={t("staff.field.newPasswordHint", { min: PASSWORD_MIN })}
        autoComplete="new-password"
        error={errors.password}
      />
      <TextField
        name="confirm"
        type="password"
        label={t("staff.field.confirmPassword")}
        autoComplete="new-password"
        error={errors.confirm}
      />
    </>
  );
}
