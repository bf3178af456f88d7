import { TextField, type FieldErrors } from "~/components/form";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";
import { OFFER_DESCRIPTION_MAX, OFFER_NAME_MAX } from "./settings-winback-schemas";

// Form pieces shared by the retention settings page and the offer page.

/** A field's error line, announced with the form's "Error:" prefix. */
export function ErrorText({ id, error }: { id: string; error: MessageKey | undefined }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="field__error" id={id}>
      <span className="visually-hidden">{t("form.errorPrefix")} </span>
      {t(error)}
    </p>
  );
}

/** An offer's name and description: what the agent sees in the catalogue and offers. */
export function OfferTextFields({
  values,
  errors,
}: {
  values: { name?: string; description?: string };
  errors: FieldErrors;
}) {
  const { t } = useI18n();
  return (
    <>
      <TextField
        name="name"
        label={t("staff.winbackSettings.offers.name")}
        hint={t("staff.winbackSettings.offers.nameHint", { max: OFFER_NAME_MAX })}
        autoComplete="off"
        maxLength={OFFER_NAME_MAX}
        defaultValue={values.name}
        error={errors.name}
      />
      <div className={errors.description ? "field field--error" : "field"}>
        <label className="field__label" htmlFor="description">
          {t("staff.winbackSettings.offers.description")}
        </label>
        <p className="field__hint" id="description-hint">
          {t("staff.winbackSettings.offers.descriptionHint", { max: OFFER_DESCRIPTION_MAX })}
        </p>
        <ErrorText id="description-error" error={errors.description} />
        <textarea
          className="textarea"
          id="description"
          name="description"
          rows={3}
          maxLength={OFFER_DESCRIPTION_MAX}
          defaultValue={values.description}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={["description-hint", errors.description ? "description-error" : ""]
            .filter(Boolean)
            .join(" ")}
        />
      </div>
    </>
  );
}
