import { useI18n } from "~/i18n/use-i18n";
import type { MessageKey } from "~/i18n/i18n";

const STEPS: ReadonlyArray<{ title: MessageKey; text: MessageKey }> = [
  { title: "steps.identify.title", text: "steps.identify.text" },
  { title: "steps.review.title", text: "steps.review.text" },
  { title: "steps.notify.title", text: "steps.notify.text" },
];

/** The three steps of the online cancellation (identify → summary → notify). */
export function CancelSteps() {
  const { t } = useI18n();

  return (
    // role="list" keeps list semantics in Safari, which drops them when list-style is none.
    <ol className="steps" role="list">
      {STEPS.map((step) => (
        <li className="steps__item" key={step.title}>
          <span className="steps__title">{t(step.title)}</span>
          <span className="steps__text">{t(step.text)}</span>
        </li>
      ))}
    </ol>
  );
}
