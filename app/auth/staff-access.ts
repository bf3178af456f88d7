import type { StaffRole } from "~/domain/enums";

// Who may open (GET) and who may act (POST) on each staff page. The route table
// (app/routes.ts) takes its staff paths from here and every staff loader and action passes its
// entry to `requireStaff`; the authorization-matrix test walks the route table and fails on a
// staff route that is missing here or that answers a role it should refuse.
export interface StaffAccess {
  path: string;
  view: readonly StaffRole[];
  act: readonly StaffRole[];
}

const EVERYONE = ["agent", "operations", "compliance", "admin"] as const;
const NOBODY = [] as const;

export const STAFF_ACCESS = {
  home: { path: "staff", view: EVERYONE, act: NOBODY },
  account: { path: "staff/compte", view: EVERYONE, act: EVERYONE },
  cases: { path: "staff/dossiers", view: EVERYONE, act: NOBODY },
  caseDetail: { path: "staff/dossiers/:caseId", view: EVERYONE, act: NOBODY },
  caseDocument: {
    path: "staff/dossiers/:caseId/documents/:documentId",
    view: ["operations", "compliance", "admin"],
    act: NOBODY,
  },
  // A case's evidence pack (ZIP): the case's documents, events and chain proof in one download.
  // The same readers as the documents themselves — operations answer disputes with it,
  // compliance hands it to a regulator; agents (win-back) see no documents.
  caseEvidencePack: {
    path: "staff/dossiers/:caseId/preuves.zip",
    view: ["operations", "compliance", "admin"],
    act: NOBODY,
  },
  // Everything held on one subscriber (GDPR art. 15 subject access): compliance answers it.
  subjectAccessExport: {
    path: "staff/abonnes/:subscriberId/donnees.zip",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  notices: { path: "staff/avis", view: ["operations", "compliance", "admin"], act: NOBODY },
  noticeDetail: {
    path: "staff/avis/:noticeId",
    view: ["operations", "compliance", "admin"],
    act: ["operations"],
  },
  returns: { path: "staff/retours", view: ["operations", "compliance", "admin"], act: NOBODY },
  returnDetail: {
    path: "staff/retours/:returnNumber",
    view: ["operations", "compliance", "admin"],
    act: ["operations"],
  },
  refunds: {
    path: "staff/remboursements",
    view: ["operations", "compliance", "admin"],
    act: NOBODY,
  },
  refundDetail: {
    path: "staff/remboursements/:refundId",
    view: ["operations", "compliance", "admin"],
    act: ["operations"],
  },
  // The overview: compliance and admin run a full verification of the audit trail (a read,
  // recorded as an event); signing a checkpoint by hand is admin's alone (checked in the action).
  compliance: {
    path: "staff/conformite",
    view: ["compliance", "admin"],
    act: ["compliance", "admin"],
  },
  // Audit trail exports: downloads are reads, so compliance may make them (decision 009).
  complianceExports: {
    path: "staff/conformite/exports",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  complianceExportDownload: {
    path: "staff/conformite/exports/telecharger",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  complianceExportManifest: {
    path: "staff/conformite/exports/:exportId/manifest.json",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  // Data retention: compliance reads the policy and the runs; admin changes the periods.
  complianceRetention: {
    path: "staff/conformite/conservation",
    view: ["compliance", "admin"],
    act: ["admin"],
  },
  // Legal-deadline KPIs (with a CSV per KPI) and the staff access log (with its CSV): reads.
  complianceKpis: {
    path: "staff/conformite/indicateurs",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  complianceKpisCsv: {
    path: "staff/conformite/indicateurs/:kpi/csv",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  accessLog: { path: "staff/conformite/acces", view: ["compliance", "admin"], act: NOBODY },
  accessLogCsv: {
    path: "staff/conformite/acces/csv",
    view: ["compliance", "admin"],
    act: NOBODY,
  },
  // The win-back workspace: agents work the queue; compliance and admin may read it.
  winbackQueue: {
    path: "staff/reconquete",
    view: ["agent", "compliance", "admin"],
    act: NOBODY,
  },
  winbackItem: {
    path: "staff/reconquete/:itemId",
    view: ["agent", "compliance", "admin"],
    act: ["agent"],
  },
  analytics: { path: "staff/analyse", view: ["agent", "compliance", "admin"], act: NOBODY },
  analyticsCsv: {
    path: "staff/analyse/:chart/csv",
    view: ["agent", "compliance", "admin"],
    act: NOBODY,
  },
  staffList: { path: "staff/comptes", view: ["admin"], act: NOBODY },
  staffNew: { path: "staff/comptes/nouveau", view: ["admin"], act: ["admin"] },
  staffEdit: { path: "staff/comptes/:staffId", view: ["admin"], act: ["admin"] },
  // Webhooks (issue #9): endpoints, their secrets and delivery log are admin's alone.
  webhookSettings: { path: "staff/reglages/webhooks", view: ["admin"], act: ["admin"] },
  webhookEndpoint: {
    path: "staff/reglages/webhooks/:endpointId",
    view: ["admin"],
    act: ["admin"],
  },
  // API keys of the integrations (issue #9): admin's alone; a new key is shown once.
  apiKeys: { path: "staff/reglages/api", view: ["admin"], act: ["admin"] },
  apiKeyRevoke: { path: "staff/reglages/api/:apiKeyId/revoquer", view: ["admin"], act: ["admin"] },
  // Bulk contract import from the BSS's CSV (issue #9): admin's alone.
  contractImport: { path: "staff/reglages/import", view: ["admin"], act: ["admin"] },
  // Retention settings: admin changes them, compliance reads them.
  winbackSettings: {
    path: "staff/reglages/reconquete",
    view: ["compliance", "admin"],
    act: ["admin"],
  },
  winbackOffer: {
    path: "staff/reglages/reconquete/offres/:offerId",
    view: ["admin"],
    act: ["admin"],
  },
} as const satisfies Record<string, StaffAccess>;

export type StaffPage = keyof typeof STAFF_ACCESS;

/** Staff pages reachable without a session (signing in, resetting a password). */
export const STAFF_PUBLIC_PATHS = [
  "staff/connexion",
  "staff/connexion/code",
  "staff/deconnexion",
  "staff/mot-de-passe-oublie",
  "staff/mot-de-passe/:token",
] as const;

export const SIGN_IN_PATH = "/staff/connexion";

export function canView(role: StaffRole, page: StaffPage): boolean {
  return (STAFF_ACCESS[page].view as readonly StaffRole[]).includes(role);
}

/** A `next` parameter is only followed to a staff page of this site. */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/staff") || next.startsWith("//") || next.includes("\\"))
    return "/staff";
  return next;
}
