import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireStaff } from "~/auth/require-staff.server";
import { STAFF_ACCESS } from "~/auth/staff-access";
import { ErrorSummary, FormAlert, type FieldErrors } from "~/components/form";
import { StaffHeading } from "~/components/staff-frame";
import { translate, type MessageKey } from "~/i18n/i18n";
import { siteDataFromMatches, useI18n } from "~/i18n/use-i18n";
import { fieldErrors, textValues } from "~/routes/public/form-data";
import { requirePortalOperator } from "~/services/load-operator-branding.server";
import { editOffer, loadOffer, setOfferActive } from "~/services/winback/offers.server";
import { OfferTextFields } from "./settings-winback-fields";
import { EditOfferSchema } from "./settings-winback-schemas";

// One offer of the win-back catalogue (admin): its name and description, and whether agents
// can offer it. The code never changes — contact attempts and the audit trail refer to it.

export { StaffErrorBoundary as ErrorBoundary } from "~/components/staff-error";

export const meta: MetaFunction<typeof loader> = ({ matches, data: loaded }) => {
  const { lang, operatorName } = siteDataFromMatches(matches);
  return [
    {
      title: translate(lang, "staff.winbackOffer.metaTitle", {
        operator: operatorName,
        code: loaded?.offer.code ?? "",
      }),
    },
  ];
};

export async function loader(args: LoaderFunctionArgs) {
  await requireStaff(args, STAFF_ACCESS.winbackOffer);
  const operator = await requirePortalOperator(args.context);
  const offer = await loadOffer(args.context.db, operator.id, args.params.offerId ?? "");
  if (!offer) throw data({ reason: "not_found" }, { status: 404 });
  const { id, code, name, description, active } = offer;
  return { offer: { id, code, name, description, active } };
}

interface Outcome {
  values?: Record<string, string>;
  errors?: FieldErrors;
  problem?: MessageKey;
  done?: MessageKey;
}

const reply = (outcome: Outcome, status = 200) => data(outcome, { status });

export async function action(args: ActionFunctionArgs) {
  const staff = await requireStaff(args, STAFF_ACCESS.winbackOffer);
  const operator = await requirePortalOperator(args.context);
  const form = await args.request.formData();
  const change = {
    operatorId: operator.id,
    offerId: args.params.offerId ?? "",
    actor: staff.actor,
    meta: args.context.requestMeta,
  };
  const intent = String(form.get("intent") ?? "");
  if (intent === "edit") {
    const values = textValues(form, ["name", "description"]);
    const parsed = EditOfferSchema.safeParse(values);
    if (!parsed.success) return reply({ values, errors: fieldErrors(parsed.error) }, 400);
    const result = await editOffer(args.context.db, { ...change, ...parsed.data });
    if (result === "not_found") throw data({ reason: "not_found" }, { status: 404 });
    return reply({
      done: result === "changed" ? "staff.winbackOffer.saved" : "staff.winbackSettings.unchanged",
    });
  }
  if (intent === "deactivate" || intent === "reactivate") {
    const result = await setOfferActive(args.context.db, {
      ...change,
      active: intent === "reactivate",
    });
    if (result === "not_found") throw data({ reason: "not_found" }, { status: 404 });
    return reply({
      done:
        result === "unchanged"
          ? "staff.winbackSettings.unchanged"
          : intent === "reactivate"
            ? "staff.winbackOffer.reactivated"
            : "staff.winbackOffer.deactivated",
    });
  }
  return reply({ problem: "staff.error.unknownAction" }, 400);
}

export default function WinbackOffer() {
  const { t } = useI18n();
  const { offer } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = outcome?.errors ?? {};
  return (
    <div className="stack stack--large narrow">
      <p>
        <Link to="/staff/reglages/reconquete#offres">{t("staff.winbackOffer.back")}</Link>
      </p>
      <StaffHeading
        title={t("staff.winbackOffer.title", { code: offer.code })}
        lead={
          offer.active ? (
            <span className="badge badge--success">{t("staff.winbackSettings.offers.active")}</span>
          ) : (
            <span className="badge">{t("staff.winbackSettings.offers.inactive")}</span>
          )
        }
      />
      {outcome?.done ? (
        <div className="notice notice--success" role="status">
          <p>{t(outcome.done)}</p>
        </div>
      ) : null}
      <FormAlert message={outcome?.problem ? t(outcome.problem) : null} />
      <ErrorSummary errors={errors} />
      <Form method="post" noValidate className="form" key={`${offer.name}\n${offer.description}`}>
        <input type="hidden" name="intent" value="edit" />
        <p className="field__hint">{t("staff.winbackOffer.codeFixed", { code: offer.code })}</p>
        <OfferTextFields
          values={outcome?.errors ? (outcome.values ?? {}) : offer}
          errors={errors}
        />
        <p>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t("staff.winbackOffer.submit")}
          </button>
        </p>
      </Form>
      <section className="card stack stack--small" aria-labelledby="availability">
        <h2 id="availability">{t("staff.winbackOffer.availability")}</h2>
        <p>
          {t(offer.active ? "staff.winbackOffer.activeText" : "staff.winbackOffer.inactiveText")}
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value={offer.active ? "deactivate" : "reactivate"} />
          <button
            type="submit"
            className={offer.active ? "button button--danger" : "button"}
            disabled={busy}
          >
            {t(
              offer.active
                ? "staff.winbackSettings.offers.deactivate"
                : "staff.winbackSettings.offers.reactivate",
            )}
          </button>
        </Form>
      </section>
    </div>
  );
}
