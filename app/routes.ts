import type { RouteConfig } from "@remix-run/route-config";
import { index, layout, route } from "@remix-run/route-config";
import { STAFF_ACCESS as S } from "./auth/staff-access";

// Every URL of the portal, grouped by audience.
export default [
  // Public pages (no account; work without JavaScript)
  index("routes/public/home.tsx"),
  // The journey: identify → summary → acknowledgment (3 submits for one contract)
  route("resilier", "routes/public/cancel-identify.tsx"),
  route("resilier/recapitulatif", "routes/public/cancel-summary.tsx"),
  route("resilier/accuse", "routes/public/cancel-acknowledgment.tsx"),
  route("resilier/avis-recu", "routes/public/cancel-notice-received.tsx"),
  // Germany (§ 312k BGB): „Verträge hier kündigen" → one confirmation page → acknowledgment
  route("kuendigen", "routes/public/cancel-single-page.tsx"),
  // The EU withdrawal button (CRD art. 11a): identify → confirm withdrawal → acknowledgment
  route("retractation", "routes/public/cancel-identify.tsx", { id: "withdraw-identify" }),
  route("retractation/confirmer", "routes/public/withdraw-confirm.tsx"),
  // The case page behind the private link, and find-my-case
  route("dossier", "routes/public/case-find.tsx"),
  route("dossier/:token", "routes/public/case-page.tsx"),
  route("dossier/:token/retrait", "routes/public/case-withdraw.tsx"),
  route("dossier/:token/lettre.pdf", "routes/public/case-letter.ts"),
  route("dossier/:token/etiquette-retour.pdf", "routes/public/case-label.ts"),
  route("dossier/:token/preuves.zip", "routes/public/case-evidence-pack.ts"),
  route("resilier/accuse/lettre.pdf", "routes/public/cancel-acknowledgment-letter.ts"),
  // "Stop contacting me": the link of every retention email (GET acts; RFC 8058 POST too)
  route("contact/arret/:token", "routes/public/stop-contact.tsx"),
  // The public keys that sign audit checkpoints and export manifests (decision 009)
  route(".well-known/easy-exit/audit-keys.json", "routes/public/audit-keys.ts"),
  route(".well-known/easy-exit/audit-key.pem", "routes/public/audit-key-pem.ts"),

  // Staff back office: signing in (no session needed) …
  route("staff/connexion", "routes/staff/sign-in.tsx"),
  route("staff/connexion/code", "routes/staff/sign-in-code.tsx"),
  route("staff/deconnexion", "routes/staff/sign-out.ts"),
  route("staff/mot-de-passe-oublie", "routes/staff/forgot-password.tsx"),
  route("staff/mot-de-passe/:token", "routes/staff/reset-password.tsx"),
  // … and every other staff page, inside the frame, each guarded by its STAFF_ACCESS entry.
  layout("routes/staff/layout.tsx", [
    route(S.home.path, "routes/staff/home.tsx"),
    route(S.account.path, "routes/staff/account.tsx"),
    route(S.cases.path, "routes/staff/cases.tsx"),
    route(S.caseDetail.path, "routes/staff/case-detail.tsx"),
    route(S.caseDocument.path, "routes/staff/case-document.ts"),
    route(S.caseEvidencePack.path, "routes/staff/case-evidence-pack.ts"),
    route(S.subjectAccessExport.path, "routes/staff/subject-access-export.ts"),
    route(S.notices.path, "routes/staff/notices.tsx"),
    route(S.noticeDetail.path, "routes/staff/notice-detail.tsx"),
    route(S.returns.path, "routes/staff/returns.tsx"),
    route(S.returnDetail.path, "routes/staff/return-detail.tsx"),
    route(S.refunds.path, "routes/staff/refunds.tsx"),
    route(S.refundDetail.path, "routes/staff/refund-detail.tsx"),
    route(S.compliance.path, "routes/staff/compliance.tsx"),
    route(S.complianceExports.path, "routes/staff/compliance-exports.tsx"),
    route(S.complianceExportDownload.path, "routes/staff/compliance-export-download.ts"),
    route(S.complianceExportManifest.path, "routes/staff/compliance-export-manifest.ts"),
    route(S.complianceRetention.path, "routes/staff/compliance-retention.tsx"),
    route(S.complianceKpis.path, "routes/staff/compliance-kpis.tsx"),
    route(S.complianceKpisCsv.path, "routes/staff/compliance-kpis-csv.ts"),
    route(S.accessLog.path, "routes/staff/access-log.tsx"),
    route(S.accessLogCsv.path, "routes/staff/access-log-csv.ts"),
    route(S.winbackQueue.path, "routes/staff/winback-queue.tsx"),
    route(S.winbackItem.path, "routes/staff/winback-item.tsx"),
    route(S.analytics.path, "routes/staff/analytics.tsx"),
    route(S.analyticsCsv.path, "routes/staff/analytics-csv.ts"),
    route(S.staffList.path, "routes/staff/staff-list.tsx"),
    route(S.staffNew.path, "routes/staff/staff-new.tsx"),
    route(S.staffEdit.path, "routes/staff/staff-edit.tsx"),
    route(S.winbackSettings.path, "routes/staff/settings-winback.tsx"),
    route(S.apiKeys.path, "routes/staff/settings-api-keys.tsx"),
    route(S.apiKeyRevoke.path, "routes/staff/settings-api-key-revoke.tsx"),
    route(S.webhookSettings.path, "routes/staff/settings-webhooks.tsx"),
    route(S.contractImport.path, "routes/staff/settings-import.tsx"),
    route(S.webhookEndpoint.path, "routes/staff/settings-webhook.tsx"),
    route(S.winbackOffer.path, "routes/staff/settings-winback-offer.tsx"),
  ]),

  // Integration API (API key, no cookies): carriers report where return parcels are
  route("api/v1/carrier-events", "routes/api/carrier-events.ts"),
  // … and the operator's BSS: contracts in, cases and their events out, refunds paid or failed
  route("api/v1/contracts/:externalId", "routes/api/v1/contracts.ts"),
  route("api/v1/cases", "routes/api/v1/cases.ts"),
  route("api/v1/cases/:reference", "routes/api/v1/case-detail.ts"),
  route("api/v1/cases/:reference/events", "routes/api/v1/case-events.ts"),
  route("api/v1/refund-events", "routes/api/v1/refund-events.ts"),
  // The API's OpenAPI 3.1 document and its readable reference (no key needed)
  route("api/v1/openapi.json", "routes/api/v1/openapi-json.ts"),
  route("api/v1/docs", "routes/api/v1/docs.tsx"),

  // Development mailbox (only without SMTP_URL): the emails a newcomer's portal sends
  route("dev/mailbox", "routes/dev/mailbox.tsx"),
  route("dev/mailbox/:id", "routes/dev/mailbox-message.tsx"),
  route("dev/mailbox/:id/html", "routes/dev/mailbox-html.ts"),
  route("dev/mailbox/:id/attachments/:index", "routes/dev/mailbox-attachment.ts"),

  // Last: every other address is a translated 404 page.
  route("*", "routes/public/not-found.tsx"),
] satisfies RouteConfig;
