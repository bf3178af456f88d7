import type { ReactNode } from "react";
import type { MessageKey } from "~/i18n/i18n";
import { useI18n } from "~/i18n/use-i18n";

/** Form errors as message keys, by field name. */
export type FieldErrors = Partial<Record<string, MessageKey>>;

/** The list of problems at the top of a form, each linking to its field (GOV.UK pattern). */
export function ErrorSummary({
  errors,
  titleKey = "form.errorSummaryTitle",
}: {
  errors: FieldErrors;
  titleKey?: MessageKey;
}) {
  const { t } = useI18n();
  const entries = Object.entries(errors).filter(
    (entry): entry is [string, MessageKey] => entry[1] !== undefined,
  );
  if (entries.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 className="error-summary__title" id="error-summary-title">
        {t(titleKey)}
      </h2>
      <ul className="list">
        {entries.map(([field, key]) => (
          <li key={field}>
            <a href={`#${field}`}>{t(key)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface TextFieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: MessageKey;
  defaultValue?: string;
  type?: "text" | "email" | "tel" | "date" | "datetime-local" | "password" | "search";
  autoComplete?: string;
  required?: boolean;
  inputMode?: "text" | "email" | "tel" | "numeric";
  autoFocus?: boolean;
  maxLength?: number;
  min?: string;
  max?: string;
  short?: boolean;
  spellCheck?: boolean;
}

export function TextField(props: TextFieldProps) {
  const { t } = useI18n();
  const hintId = props.hint ? `${props.name}-hint` : undefined;
  const errorId = props.error ? `${props.name}-error` : undefined;
  return (
    <div className={props.error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <p className="field__hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t("form.errorPrefix")} </span>
          {t(props.error)}
        </p>
      ) : null}
      <input
        className={props.short ? "input input--short" : "input"}
        id={props.name}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        required={props.required}
        inputMode={props.inputMode}
        min={props.min}
        max={props.max}
        spellCheck={props.spellCheck}
        autoFocus={props.autoFocus}
        maxLength={props.maxLength}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
      />
    </div>
  );
}

/** A fieldset of radios or checkboxes with a legend, hint and error. */
export function ChoiceGroup(props: {
  name: string;
  legend: ReactNode;
  hint?: string;
  error?: MessageKey;
  children: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <fieldset
      className={props.error ? "field field--error" : "field"}
      id={props.name}
      aria-describedby={
        [props.hint ? `${props.name}-hint` : "", props.error ? `${props.name}-error` : ""]
          .filter(Boolean)
          .join(" ") || undefined
      }
    >
      <legend>{props.legend}</legend>
      {props.hint ? (
        <p className="field__hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="field__error" id={`${props.name}-error`}>
          <span className="visually-hidden">{t("form.errorPrefix")} </span>
          {t(props.error)}
        </p>
      ) : null}
      <div className="choices">{props.children}</div>
    </fieldset>
  );
}

export function Choice(props: {
  type: "radio" | "checkbox";
  name: string;
  value: string;
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  defaultChecked?: boolean;
}) {
  return (
    <div className="choice">
      <input
        type={props.type}
        name={props.name}
        value={props.value}
        id={props.id}
        defaultChecked={props.defaultChecked}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      <label htmlFor={props.id}>
        {props.label}
        {props.hint ? (
          <span className="field__hint" id={`${props.id}-hint`}>
            {props.hint}
          </span>
        ) : null}
      </label>
    </div>
  );
}

/** A problem with the whole form (no match, too many attempts …), announced to screen readers. */
export function FormAlert({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <div className="notice notice--warning" role="alert">
      <p>{message}</p>
    </div>
  );
}
