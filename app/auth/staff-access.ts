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
  compliance: { path: "staff/conformite", view: ["compliance", "admin"], act: NOBODY },
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
