import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useNavigation,
  useSearchParams,
} from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import { z } from "zod";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { Choice, ChoiceGroup, ErrorSummary, FormAlert, type FieldErrors } from "~/components/form";
import { CaseStatusBadge } from "~/components/staff-frame";
import {
  PriorityLabel,
  SlaTimer,
  WinbackStatusBadge,
  formatOpening,
  formatShortDateTime,
  formatTime,
} from "~/components/winback";
import type { ContactChannel, ContactOutcome, ContactWindow, StaffRole } from "~/domain/enums";
import {
  ATTEMPT_OUTCOMES,
  FINAL_OUTCOMES,
  attemptRefusal,
  contactWindowState,
  isOpenItem,
  itemDeadline,
} from "~/domain/winback-policy";
import { slaState } from "~/domain/winback-sla";
import {
  formatDate,
  formatMoney,
  translate,
  type Lang,
  type MessageKey,
  type Translate,
} from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { recordCaseView } from "~/services/staff/load-staff-case.server";
import {
  claimWinbackItem,
  logContactAttempt,
  recordWinbackOutcome,
  releaseWinbackItem,
  suppressSubscriber,
  type WinbackRefusal,
} from "~/services/winback/actions.server";
import { loadWinbackItem } from "~/services/winback/load-workspace.server";
import {
  ContactAttemptSchema,
  NOTE_MAX,
  SuppressSchema,
  WinbackOutcomeSchema,
} from "./winback-schemas";

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.winback.itemMetaTitle", {
        operator: operatorName,
        reference: loaded?.case.reference ?? "",
      }),
    },
  ];
};

const ItemIdSchema = z.uuid();
/** `?confirmer=…`: the second step of "asked not to be contacted" (works without JavaScript). */
const CONFIRM_SUPPRESS = "ne-plus-contacter";
const DONE = [
  "claimed",
  "released",
  "attempt",
  "won_back",
  "declined",
  "no_answer",
  "suppressed",
] as const;
type Done = (typeof DONE)[number];

const notFound = () => data({ reason: "not_found" }, { status: 404 });

/** A refusal as the page receives it (dates as ISO strings). */
type RefusalView =
  | Exclude<WinbackRefusal, { code: "outside_window" }>
  | { code: "outside_window"; window: ContactWindow; nextOpening: string };

function refusalView(refusal: WinbackRefusal): RefusalView {
  return refusal.code === "outside_window"
    ? { ...refusal, nextOpening: refusal.nextOpening.toISOString() }
    : refusal;
}

/** When a retention email goes out: at once inside the window, else at its next opening. */
function emailSendsAt(window: ContactWindow, attemptedAt: Date, timeZone: string): Date {
  const state = contactWindowState(window, attemptedAt, timeZone);
  return state.open ? attemptedAt : state.nextOpening;
}

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.winbackItem);
  const { db, requestMeta } = args.context;
  const itemId = ItemIdSchema.safeParse(args.params.itemId);
  if (!itemId.success) throw notFound();
  const found = await loadWinbackItem(db, itemId.data);
  if (!found) throw notFound();
  await recordCaseView(db, { caseId: found.case.id, staff, view: "winback", meta: requestMeta });

  const now = new Date();
  const { item, survey, subscriber, settings } = found;
  const { timeZone } = settings;
  const me = staff.staff.id;
  const canAct = (STAFF_ACCESS.winbackItem.act as readonly StaffRole[]).includes(staff.staff.role);
  const open = isOpenItem(item.status);
  const claimedByMe = item.claimedBy === me;
  const channel = survey.contactConsent ? survey.contactChannel : null;
  const window = survey.contactConsent ? survey.contactWindow : null;
  const consentActive =
    channel !== null &&
    window !== null &&
    survey.consentWithdrawnAt === null &&
    !subscriber.suppressed;
  const windowState = window ? contactWindowState(window, now, timeZone) : null;
  // Why an attempt could not be logged right now (the service decides again on submit).
  const attemptBlock =
    open && channel && window
      ? attemptRefusal(
          {
            status: item.status,
            claimedByMe,
            suppressed: subscriber.suppressed,
            attemptsSoFar: found.attempts.length,
            createdAt: item.createdAt,
            consentedChannel: channel,
            window,
          },
          { channel, outcome: ATTEMPT_OUTCOMES[channel][0]! },
          settings,
          now,
          timeZone,
        )
      : null;
  // The contact details of the consented channel only, and only for the agent who holds it.
  const contact =
    canAct && open && claimedByMe && consentActive
      ? channel === "email"
        ? { kind: "email" as const, value: subscriber.email }
        : { kind: "phone" as const, value: subscriber.phone }
      : null;

  return {
    item: {
      id: item.id,
      status: item.status,
      queue: item.queue,
      priority: item.priority,
      slaDueAt: item.slaDueAt.toISOString(),
      sla: slaState(item, now),
      createdAt: item.createdAt.toISOString(),
      deadline: itemDeadline(item.createdAt, settings).toISOString(),
      closedAt: item.closedAt?.toISOString() ?? null,
      closeReason: item.closeReason,
      claimerName: found.claimerName,
      claimed: item.claimedBy !== null,
      claimedByMe,
      offerId: found.itemOffer?.id ?? null,
      offerName: found.itemOffer?.name ?? null,
    },
    case: {
      reference: found.case.reference,
      status: found.case.status,
      receivedAt: found.case.receivedAt.toISOString(),
      effectiveEndDate: found.case.effectiveEndDate,
    },
    subscriber: {
      name: `${subscriber.firstName} ${subscriber.lastName}`,
      suppressed: subscriber.suppressed,
      suppressedAt: subscriber.suppressedAt?.toISOString() ?? null,
    },
    contracts: found.contracts.map((contract) => ({
      contractNumber: contract.contractNumber,
      offerName: contract.offerName,
      category: contract.category,
      monthlyPriceCents: contract.monthlyPriceCents,
      currency: contract.currency,
      startDate: contract.startDate,
    })),
    survey: {
      reason: survey.reason,
      details: survey.details,
      competitor: survey.competitor,
      wouldComeBack: survey.wouldComeBack,
      answeredAt: survey.answeredAt.toISOString(),
      consentWithdrawnAt: survey.consentWithdrawnAt?.toISOString() ?? null,
    },
    consent: {
      active: consentActive,
      channel,
      window,
      windowOpen: windowState?.open ?? false,
      windowClosesAt: windowState?.open ? windowState.closesAt.toISOString() : null,
      windowOpensAt:
        windowState && !windowState.open ? windowState.nextOpening.toISOString() : null,
    },
    contact,
    attempts: found.attempts.map((attempt) => ({
      id: attempt.id,
      channel: attempt.channel,
      outcome: attempt.outcome,
      note: attempt.note,
      attemptedAt: attempt.attemptedAt.toISOString(),
      agentName: attempt.agentName,
      offerName: attempt.offerName,
      emailSendsAt:
        attempt.channel === "email" && window
          ? emailSendsAt(window, attempt.attemptedAt, timeZone).toISOString()
          : null,
    })),
    offers: found.offers.map((offer) => ({
      id: offer.id,
      name: offer.name,
      description: offer.description,
    })),
    policy: { maxAttempts: settings.maxAttempts, maxAgeDays: settings.maxAgeDays },
    canAct,
    open,
    attemptBlock: attemptBlock ? refusalView(attemptBlock) : null,
    outcomes: channel ? ATTEMPT_OUTCOMES[channel] : [],
  };
}

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.winbackItem);
  const { db, jobs, requestMeta: meta } = args.context;
  const parsedId = ItemIdSchema.safeParse(args.params.itemId);
  if (!parsedId.success) throw notFound();
  const itemId = parsedId.data;
  const staffId = staff.staff.id;
  const form = await args.request.formData();
  const intent = String(form.get("intent") ?? "");
  const here = `/staff/reconquete/${itemId}`;
  const done = (flash: Done, extra: Record<string, string> = {}) =>
    redirect(`${here}?${new URLSearchParams({ fait: flash, ...extra }).toString()}`, 303);
  const invalid = (errors: FieldErrors, values: Record<string, string> = {}) =>
    data(
      {
        intent,
        errors,
        refusal: null as RefusalView | null,
        problem: null as MessageKey | null,
        values,
      },
      { status: 400 },
    );
  const refused = (refusal: WinbackRefusal) => {
    if (refusal.code === "not_found") throw notFound();
    return data(
      {
        intent,
        errors: {} as FieldErrors,
        refusal: refusalView(refusal) as RefusalView | null,
        problem: null as MessageKey | null,
        values: {} as Record<string, string>,
      },
      { status: 409 },
    );
  };

  if (intent === "claim") {
    const result = await claimWinbackItem(db, { itemId, staffId, meta });
    return result.ok ? done("claimed") : refused(result.refusal);
  }
  if (intent === "release") {
    const result = await releaseWinbackItem(db, { itemId, staffId, meta });
    return result.ok ? done("released") : refused(result.refusal);
  }
  if (intent === "attempt") {
    const values = textValues(form, ["channel", "outcome", "offerId", "note", "attemptsSeen"]);
    const parsed = ContactAttemptSchema.safeParse(values);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
    const result = await logContactAttempt({ db, jobs }, { itemId, staffId, ...parsed.data, meta });
    return result.ok ? done("attempt", { tentative: result.attemptId }) : refused(result.refusal);
  }
  if (intent === "outcome") {
    const values = textValues(form, ["finalOutcome", "acceptedOfferId"]);
    const parsed = WinbackOutcomeSchema.safeParse(values);
    if (!parsed.success) return invalid(fieldErrors(parsed.error), values);
    const { finalOutcome: outcome, acceptedOfferId: offerId } = parsed.data;
    const result = await recordWinbackOutcome(db, { itemId, staffId, outcome, offerId, meta });
    if (result.ok) return done(outcome);
    // The same outcome sent twice: the first one closed the item as asked.
    if (result.refusal.code === "closed" && result.refusal.status === outcome) return done(outcome);
    return refused(result.refusal);
  }
  if (intent === "suppress") {
    const parsed = SuppressSchema.safeParse({ confirm: form.get("confirm") ?? "" });
    if (!parsed.success) return invalid(fieldErrors(parsed.error));
    const found = await loadWinbackItem(db, itemId);
    if (!found) throw notFound();
    // Idempotent: a second confirmation finds the subscriber already on the list.
    await suppressSubscriber(db, {
      subscriberId: found.subscriber.id,
      via: "agent",
      actor: staff.actor,
      meta,
    });
    return done("suppressed");
  }
  return data(
    {
      intent,
      errors: {} as FieldErrors,
      refusal: null as RefusalView | null,
      problem: "staff.error.unknownAction" as MessageKey | null,
      values: {} as Record<string, string>,
    },
    { status: 400 },
  );
}

/** The translated reason of every refusal the services can give. */
function refusalText(t: Translate, lang: Lang, refusal: RefusalView): string {
  switch (refusal.code) {
    case "already_claimed":
      return refusal.by
        ? t("staff.winback.refusal.alreadyClaimed", { name: refusal.by })
        : t("staff.winback.refusal.alreadyClaimedUnknown");
    case "attempt_limit":
      return t("staff.winback.refusal.attemptLimit", { max: refusal.max });
    case "too_old":
      return t("staff.winback.refusal.tooOld", { days: refusal.days });
    case "closed":
      return t("staff.winback.refusal.closed", {
        status: t(`staff.winback.status.${refusal.status}`),
      });
    case "not_claimed_by_you":
      return t("staff.winback.refusal.notClaimedByYou");
    case "wrong_channel":
      return t("staff.winback.refusal.wrongChannel", {
        channel: t(`channel.${refusal.channel}`),
      });
    case "wrong_outcome":
      return t("staff.winback.refusal.wrongOutcome", {
        channel: t(`channel.${refusal.channel}`),
      });
    case "outside_window":
      return t("staff.winback.refusal.outsideWindow", {
        time: formatOpening(refusal.nextOpening, lang),
        window: t(`window.${refusal.window}`),
      });
    case "suppressed":
      return t("staff.winback.refusal.suppressed");
    case "no_contact_yet":
      return t("staff.winback.refusal.noContactYet");
    case "unknown_offer":
      return t("staff.winback.refusal.unknownOffer");
    case "attempts_changed":
      return t("staff.winback.refusal.attemptsChanged");
    case "not_found":
      return t("staff.error.notFoundText");
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;

export default function StaffWinbackItem() {
  const { t, lang } = useI18n();
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const { item, consent } = loaded;
  const errors: FieldErrors = actionData?.errors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const doneParam = params.get("fait");
  const doneFlash = DONE.find((value) => value === doneParam) ?? null;
  const confirming = params.get("confirmer") === CONFIRM_SUPPRESS;

  // After a refused or invalid submit, the problem shows above the form that was sent, and
  // takes focus (the error summary) or scrolls into view.
  const feedbackRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!actionData) return;
    const summary = feedbackRef.current?.querySelector<HTMLElement>(".error-summary");
    if (summary) summary.focus();
    else feedbackRef.current?.scrollIntoView({ block: "center" });
  }, [actionData]);
  const feedback = (intents: readonly string[]) =>
    actionData && intents.includes(actionData.intent) ? (
      <div ref={feedbackRef} className="stack stack--small">
        <ErrorSummary errors={errors} />
        <FormAlert
          message={
            actionData.refusal
              ? refusalText(t, lang, actionData.refusal)
              : actionData.problem
                ? t(actionData.problem)
                : null
          }
        />
      </div>
    ) : null;

  const canWork = loaded.canAct && loaded.open && item.claimedByMe;
  const canSuppress = loaded.canAct && !loaded.subscriber.suppressed;
  // The intents whose form is on the page: their problems show above that form.
  const shownIntents = [
    "claim",
    "release",
    ...(canWork ? ["attempt", "outcome"] : []),
    ...(canSuppress ? ["suppress"] : []),
  ];
  return (
    <div className="stack stack--large">
      <p>
        <Link to="/staff/reconquete">{t("staff.winback.back")}</Link>
      </p>
      <div className="stack stack--small">
        <h1>
          {loaded.subscriber.name} — <span className="mono">{loaded.case.reference}</span>
        </h1>
        <p className="cluster">
          <WinbackStatusBadge status={item.status} />
          <span className="badge">{t(`staff.winback.queue.${item.queue}`)}</span>
          <PriorityLabel priority={item.priority} />
          {loaded.open ? <SlaTimer sla={item.sla} dueAt={item.slaDueAt} /> : null}
        </p>
      </div>

      {doneFlash ? <DoneFlash done={doneFlash} loaded={loaded} /> : null}
      {/* Problems of a form whose section is gone (e.g. the item closed meanwhile) show here. */}
      {actionData && !shownIntents.includes(actionData.intent)
        ? feedback([actionData.intent])
        : null}

      {!loaded.open ? (
        <div className="notice" role="status">
          <p>
            {t("staff.winback.closedOn", {
              date: item.closedAt ? formatShortDateTime(item.closedAt, lang) : "—",
              status: t(`staff.winback.status.${item.status}`),
            })}
            {item.closeReason && item.closeReason !== "outcome"
              ? ` ${t(`staff.winback.closeReasonText.${item.closeReason}`, {
                  max: loaded.policy.maxAttempts,
                  days: loaded.policy.maxAgeDays,
                })}`
              : ""}
            {item.offerName ? ` ${t("staff.winback.closedOffer", { offer: item.offerName })}` : ""}
          </p>
        </div>
      ) : null}

      <section className="stack stack--small" aria-labelledby="winback-claim">
        <h2 id="winback-claim">{t("staff.winback.claimTitle")}</h2>
        {feedback(["claim", "release"])}
        <p>
          {loaded.open
            ? item.claimedByMe
              ? t("staff.winback.claimedByYouLong")
              : item.claimerName
                ? t("staff.winback.claimedByOther", { name: item.claimerName })
                : t("staff.winback.nobodyHolds")
            : item.claimedByMe
              ? t("staff.winback.handledByYou")
              : item.claimerName
                ? t("staff.winback.handledBy", { name: item.claimerName })
                : t("staff.winback.closedUnclaimed")}
        </p>
        {loaded.canAct && loaded.open ? (
          item.claimedByMe ? (
            <Form method="post">
              <input type="hidden" name="intent" value="release" />
              <button type="submit" className="button" disabled={busy}>
                {t("staff.winback.release")}
              </button>
            </Form>
          ) : !item.claimed ? (
            <Form method="post">
              <input type="hidden" name="intent" value="claim" />
              <button type="submit" className="button button--primary" disabled={busy}>
                {t("staff.winback.claim")}
              </button>
            </Form>
          ) : null
        ) : null}
        {!loaded.canAct ? <p className="muted">{t("staff.winback.readOnly")}</p> : null}
      </section>

      <div className="card-grid winback-cards">
        <section className="card stack stack--small" aria-labelledby="winback-case">
          <h2 id="winback-case">{t("staff.winback.caseTitle")}</h2>
          <dl className="summary-list">
            <dt>{t("staff.winback.caseReference")}</dt>
            <dd className="mono">{loaded.case.reference}</dd>
            <dt>{t("staff.winback.caseStatus")}</dt>
            <dd>
              <CaseStatusBadge status={loaded.case.status} />
            </dd>
            <dt>{t("staff.winback.caseReceived")}</dt>
            <dd>{formatShortDateTime(loaded.case.receivedAt, lang)}</dd>
            <dt>{t("staff.winback.caseEnd")}</dt>
            <dd>{formatDate(loaded.case.effectiveEndDate, lang)}</dd>
          </dl>
          <h3>{t("staff.winback.contracts")}</h3>
          <ul className="list winback-contracts">
            {loaded.contracts.map((contract) => (
              <li key={contract.contractNumber}>
                <strong>{contract.offerName}</strong>
                <span className="muted">
                  {" "}
                  · {t(`staff.winback.category.${contract.category}`)} ·{" "}
                  {t("staff.winback.perMonth", {
                    price: formatMoney(contract.monthlyPriceCents, contract.currency, lang),
                  })}{" "}
                  · {t("staff.winback.since", { date: formatDate(contract.startDate, lang) })}
                </span>
              </li>
            ))}
          </ul>
        </section>

        <section className="card stack stack--small" aria-labelledby="winback-survey">
          <h2 id="winback-survey">{t("staff.winback.surveyTitle")}</h2>
          <dl className="summary-list">
            <dt>{t("staff.winback.surveyReason")}</dt>
            <dd>{t(`exitReason.${loaded.survey.reason}`)}</dd>
            <dt>{t("staff.winback.surveyDetails")}</dt>
            <dd className="winback-text">{loaded.survey.details ?? "—"}</dd>
            <dt>{t("staff.winback.surveyCompetitor")}</dt>
            <dd>{loaded.survey.competitor ?? "—"}</dd>
            <dt>{t("staff.winback.surveyComeBack")}</dt>
            <dd>
              {loaded.survey.wouldComeBack === null
                ? t("staff.winback.surveyComeBackNone")
                : t("staff.winback.surveyComeBackScore", { score: loaded.survey.wouldComeBack })}
            </dd>
            <dt>{t("staff.winback.surveyAnswered")}</dt>
            <dd>{formatShortDateTime(loaded.survey.answeredAt, lang)}</dd>
          </dl>
        </section>

        <section className="card stack stack--small" aria-labelledby="winback-consent">
          <h2 id="winback-consent">{t("staff.winback.consentTitle")}</h2>
          {loaded.subscriber.suppressed ? (
            <p className="alarm">
              {t("staff.winback.suppressedSince", {
                date: loaded.subscriber.suppressedAt
                  ? formatShortDateTime(loaded.subscriber.suppressedAt, lang)
                  : "—",
              })}
            </p>
          ) : null}
          <dl className="summary-list">
            <dt>{t("staff.winback.consentChannel")}</dt>
            <dd>{consent.channel ? t(`channel.${consent.channel}`) : "—"}</dd>
            <dt>{t("staff.winback.consentWindow")}</dt>
            <dd>{consent.window ? t(`window.${consent.window}`) : "—"}</dd>
            {consent.active ? (
              <>
                <dt>{t("staff.winback.windowNow")}</dt>
                <dd>
                  {consent.windowOpen && consent.windowClosesAt ? (
                    <span className="badge badge--success">
                      {t("staff.winback.windowOpenUntil", {
                        time: formatTime(consent.windowClosesAt, lang),
                      })}
                    </span>
                  ) : consent.windowOpensAt ? (
                    <>
                      <span className="badge">{t("staff.winback.windowClosed")}</span>{" "}
                      {t("staff.winback.windowOpensAt", {
                        time: formatOpening(consent.windowOpensAt, lang),
                      })}
                    </>
                  ) : null}
                </dd>
              </>
            ) : null}
            {loaded.survey.consentWithdrawnAt ? (
              <>
                <dt>{t("staff.winback.consentWithdrawn")}</dt>
                <dd>{formatShortDateTime(loaded.survey.consentWithdrawnAt, lang)}</dd>
              </>
            ) : null}
            {consent.active && loaded.open ? (
              <>
                <dt>
                  {consent.channel === "email"
                    ? t("staff.winback.contactEmail")
                    : t("staff.winback.contactPhone")}
                </dt>
                <dd>
                  {loaded.contact ? (
                    loaded.contact.value ? (
                      <span className="mono winback-text">{loaded.contact.value}</span>
                    ) : (
                      <span className="muted">{t("staff.winback.contactMissing")}</span>
                    )
                  ) : (
                    <span className="muted">{t("staff.winback.contactAfterClaim")}</span>
                  )}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
      </div>

      <section className="stack" aria-labelledby="winback-attempts">
        <h2 id="winback-attempts">
          {t("staff.winback.attemptsTitle", {
            count: loaded.attempts.length,
            max: loaded.policy.maxAttempts,
          })}
        </h2>
        <p className="muted">
          {t("staff.winback.policy", {
            max: loaded.policy.maxAttempts,
            deadline: formatShortDateTime(item.deadline, lang),
          })}
        </p>
        {loaded.attempts.length === 0 ? (
          <p>{t("staff.winback.noAttempts")}</p>
        ) : (
          <ol className="timeline">
            {loaded.attempts.map((attempt) => (
              <li key={attempt.id} className="timeline__item">
                <p>
                  <strong>
                    {t(`channel.${attempt.channel}`)} —{" "}
                    {t(`staff.winback.attemptOutcome.${attempt.outcome}`)}
                  </strong>
                  {attempt.offerName
                    ? ` · ${t("staff.winback.offerMade", { offer: attempt.offerName })}`
                    : ""}
                </p>
                <p className="muted">
                  <time dateTime={attempt.attemptedAt}>
                    {formatShortDateTime(attempt.attemptedAt, lang)}
                  </time>{" "}
                  · {attempt.agentName}
                  {attempt.emailSendsAt
                    ? ` · ${
                        attempt.emailSendsAt === attempt.attemptedAt
                          ? t("staff.winback.emailSentAtOnce")
                          : t("staff.winback.emailScheduled", {
                              time: formatOpening(attempt.emailSendsAt, lang),
                            })
                      }`
                    : ""}
                </p>
                {attempt.note ? <p className="winback-text">{attempt.note}</p> : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      {canWork ? (
        <>
          <section className="stack" aria-labelledby="winback-attempt">
            <h2 id="winback-attempt">{t("staff.winback.attemptTitle")}</h2>
            {feedback(["attempt"])}
            {loaded.attemptBlock ? (
              <div className="notice notice--warning">
                <p>{refusalText(t, lang, loaded.attemptBlock)}</p>
              </div>
            ) : (
              <AttemptForm
                // A logged attempt gives a fresh, empty form (the note is not sent twice).
                key={loaded.attempts.length}
                loaded={loaded}
                errors={errors}
                values={values}
                busy={busy}
              />
            )}
          </section>

          <section className="stack" aria-labelledby="winback-outcome">
            <h2 id="winback-outcome">{t("staff.winback.outcomeTitle")}</h2>
            {feedback(["outcome"])}
            <Form
              method="post"
              className="form"
              noValidate
              // The accepted offer defaults to the last one made: re-read it after each attempt.
              key={`${loaded.attempts.length}-${item.offerId ?? ""}`}
            >
              <input type="hidden" name="intent" value="outcome" />
              <ChoiceGroup
                name="finalOutcome"
                legend={t("staff.winback.outcomeLegend")}
                error={errors.finalOutcome}
              >
                {FINAL_OUTCOMES.map((outcome) => (
                  <Choice
                    key={outcome}
                    type="radio"
                    name="finalOutcome"
                    value={outcome}
                    id={`finalOutcome-${outcome}`}
                    label={t(`staff.winback.finalOutcome.${outcome}`)}
                    hint={t(`staff.winback.finalOutcomeHint.${outcome}`)}
                    defaultChecked={values.finalOutcome === outcome}
                  />
                ))}
              </ChoiceGroup>
              <OfferSelect
                name="acceptedOfferId"
                label={t("staff.winback.acceptedOffer")}
                hint={t("staff.winback.acceptedOfferHint")}
                offers={loaded.offers}
                error={errors.acceptedOfferId}
                defaultValue={values.acceptedOfferId ?? item.offerId ?? ""}
              />
              <p>
                <button type="submit" className="button button--primary" disabled={busy}>
                  {t("staff.winback.outcomeSubmit")}
                </button>
              </p>
            </Form>
          </section>
        </>
      ) : loaded.canAct && loaded.open && !item.claimedByMe ? (
        <p className="muted">{t("staff.winback.claimToAct")}</p>
      ) : null}

      {canSuppress ? (
        <section
          className="stack"
          aria-labelledby={CONFIRM_SUPPRESS}
          id="ne-plus-contacter-section"
        >
          <h2 id={CONFIRM_SUPPRESS}>{t("staff.winback.suppressTitle")}</h2>
          {feedback(["suppress"])}
          <p>{t("staff.winback.suppressText", { name: loaded.subscriber.name })}</p>
          {confirming ? (
            <div className="notice notice--warning stack stack--small">
              <p>
                <strong>
                  {t("staff.winback.suppressConfirmText", { name: loaded.subscriber.name })}
                </strong>
              </p>
              <Form method="post" className="cluster">
                <input type="hidden" name="intent" value="suppress" />
                <input type="hidden" name="confirm" value="yes" />
                <button type="submit" className="button button--danger" disabled={busy}>
                  {t("staff.winback.suppressConfirm")}
                </button>
                <Link to={`/staff/reconquete/${item.id}`}>{t("staff.winback.suppressCancel")}</Link>
              </Form>
            </div>
          ) : (
            <p>
              <Link
                className="button"
                to={`/staff/reconquete/${item.id}?confirmer=${CONFIRM_SUPPRESS}#${CONFIRM_SUPPRESS}`}
              >
                {t("staff.winback.suppressStart")}
              </Link>
            </p>
          )}
        </section>
      ) : null}
    </div>
  );
}

function DoneFlash({ done, loaded }: { done: Done; loaded: Loaded }) {
  const { t, lang } = useI18n();
  const [params] = useSearchParams();
  let text: ReactNode = t(`staff.winback.done.${done}`);
  if (done === "attempt") {
    const attempt = loaded.attempts.find((row) => row.id === params.get("tentative"));
    const parts = [t("staff.winback.done.attempt")];
    if (attempt?.emailSendsAt)
      parts.push(
        attempt.emailSendsAt === attempt.attemptedAt
          ? t("staff.winback.done.emailNow")
          : t("staff.winback.done.emailLater", { time: formatOpening(attempt.emailSendsAt, lang) }),
      );
    if (loaded.item.closeReason === "attempt_limit")
      parts.push(t("staff.winback.done.limitReached", { max: loaded.policy.maxAttempts }));
    text = parts.join(" ");
  }
  return (
    <div className="notice notice--success" role="status">
      <p>{text}</p>
    </div>
  );
}

function OfferSelect(props: {
  name: string;
  label: string;
  hint: string;
  offers: { id: string; name: string; description: string }[];
  error: MessageKey | undefined;
  defaultValue: string;
}) {
  const { t } = useI18n();
  const errorId = `${props.name}-error`;
  const hintId = `${props.name}-hint`;
  return (
    <div className={props.error ? "field field--error" : "field"}>
      <label className="field__label" htmlFor={props.name}>
        {props.label}
      </label>
      <p className="field__hint" id={hintId}>
        {props.hint}
      </p>
      {props.error ? (
        <p className="field__error" id={errorId}>
          <span className="visually-hidden">{t("form.errorPrefix")} </span>
          {t(props.error)}
        </p>
      ) : null}
      <select
        className="select"
        id={props.name}
        name={props.name}
        defaultValue={props.defaultValue}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? `${hintId} ${errorId}` : hintId}
      >
        <option value="">{t("staff.winback.noOffer")}</option>
        {props.offers.map((offer) => (
          <option key={offer.id} value={offer.id}>
            {offer.name} — {offer.description}
          </option>
        ))}
      </select>
    </div>
  );
}

function AttemptForm({
  loaded,
  errors,
  values,
  busy,
}: {
  loaded: Loaded;
  errors: FieldErrors;
  values: Record<string, string>;
  busy: boolean;
}) {
  const { t, lang } = useI18n();
  const { consent } = loaded;
  const channel = consent.channel as ContactChannel;
  const outcomes = loaded.outcomes as readonly ContactOutcome[];
  const noteHint = "note-hint";
  return (
    <Form method="post" className="form" noValidate>
      <input type="hidden" name="intent" value="attempt" />
      <input type="hidden" name="channel" value={channel} />
      <input type="hidden" name="attemptsSeen" value={loaded.attempts.length} />
      <p>
        {t("staff.winback.attemptChannel", { channel: t(`channel.${channel}`) })}
        {channel === "email" ? (
          <>
            {" "}
            <strong>
              {consent.windowOpen
                ? t("staff.winback.emailGoesNow")
                : t("staff.winback.emailGoesLater", {
                    time: consent.windowOpensAt ? formatOpening(consent.windowOpensAt, lang) : "—",
                  })}
            </strong>
          </>
        ) : null}
      </p>
      <ChoiceGroup
        name="outcome"
        legend={t("staff.winback.outcomeOfAttempt")}
        error={errors.outcome}
      >
        {outcomes.map((outcome) => (
          <Choice
            key={outcome}
            type="radio"
            name="outcome"
            value={outcome}
            id={`outcome-${outcome}`}
            label={t(`staff.winback.attemptOutcome.${outcome}`)}
            defaultChecked={outcomes.length === 1 || values.outcome === outcome}
          />
        ))}
      </ChoiceGroup>
      <OfferSelect
        name="offerId"
        label={t("staff.winback.offer")}
        hint={t("staff.winback.offerHint")}
        offers={loaded.offers}
        error={errors.offerId}
        defaultValue={values.offerId ?? ""}
      />
      <div className={errors.note ? "field field--error" : "field"}>
        <label className="field__label" htmlFor="note">
          {t("staff.winback.note")}
        </label>
        <p className="field__hint" id={noteHint}>
          {t("staff.winback.noteHint")}
        </p>
        {errors.note ? (
          <p className="field__error" id="note-error">
            <span className="visually-hidden">{t("form.errorPrefix")} </span>
            {t(errors.note)}
          </p>
        ) : null}
        <textarea
          className="textarea"
          id="note"
          name="note"
          rows={4}
          maxLength={NOTE_MAX}
          defaultValue={values.note}
          aria-invalid={errors.note ? true : undefined}
          aria-describedby={errors.note ? `${noteHint} note-error` : noteHint}
        />
      </div>
      <p>
        <button type="submit" className="button button--primary" disabled={busy}>
          {channel === "email"
            ? t("staff.winback.attemptSubmitEmail")
            : t("staff.winback.attemptSubmit")}
        </button>
      </p>
    </Form>
  );
}
