import type { FieldErrors } from "~/components/form";
import { TextField } from "~/components/form";
import { useI18n } from "~/i18n/use-i18n";

// What the identify page (/resilier, /retractation) and Germany's one-page form (/kuendigen) both
// ask and offer: the subscriber's name, and after two failed identifications "send my notice
// anyway" (recorded with its receipt time and matched by operations: a typo never loses a notice).

export function NameFields({
  values,
  errors,
}: {
  values: Record<string, string | undefined>;
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  return (
    <>
      <TextField
        name="firstName"
        label={t("identify.firstName")}
        autoComplete="given-name"
        required
        defaultValue={values.firstName}
        error={errors.firstName}
        spellCheck={false}
      />
      <TextField
        name="lastName"
        label={t("identify.lastName")}
        autoComplete="family-name"
        required
        defaultValue={values.lastName}
        error={errors.lastName}
        spellCheck={false}
      />
    </>
  );
}

export function SendAnywayCard({ text, busy }: { text: string; busy: boolean }) {
  const { t } = useI18n();
  return (
    <section className="card stack" aria-labelledby="send-anyway-title">
      <h2 id="send-anyway-title">{t("identify.anywayTitle")}</h2>
      <p>{text}</p>
      <p>
        <button type="submit" name="intent" value="send_anyway" className="button" disabled={busy}>
          {t("identify.anywaySubmit")}
        </button>
      </p>
    </section>
  );
}
