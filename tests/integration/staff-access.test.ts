import type { RouteConfigEntry } from "@remix-run/route-config";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../app/auth/api-keys.server";
import { STAFF_ACCESS, STAFF_PUBLIC_PATHS, type StaffAccess } from "../../app/auth/staff-access";
import { ANALYTICS_CHARTS } from "../../app/domain/analytics";
import { COMPLIANCE_KPIS } from "../../app/domain/compliance-kpis";
import { STAFF_ROLES, type StaffRole } from "../../app/domain/enums";
import routes from "../../app/routes";
import { ensureTerminationLetter } from "../../app/services/ensure-termination-letter.server";
import {
  auditExports,
  cancellationCases,
  documents,
  equipmentReturns,
  offers,
  operators,
  refunds,
  staffUsers,
  unmatchedNotices,
  webhookEndpoints,
  winbackItems,
} from "../../db/schema";
import { insertWinbackItem } from "../factories/winback";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";

// Issue #5's authorization matrix, generated from the route table: every staff URL × every role
// and anonymous. A staff route without an access entry, or whose loader/action forgets its
// guard, fails here.
const app = setupPortal("staff_access");

function flatten(entries: RouteConfigEntry[], parent = ""): { path: string; file: string }[] {
  return entries.flatMap((entry) => {
    const path = entry.path === undefined ? parent : [parent, entry.path].filter(Boolean).join("/");
    const own = entry.path !== undefined || entry.index ? [{ path, file: entry.file }] : [];
    return [...own, ...flatten(entry.children ?? [], path)];
  });
}

const staffRoutes = flatten(routes).filter((route) => route.path.startsWith("staff"));
const guarded = staffRoutes.filter(
  (route) => !(STAFF_PUBLIC_PATHS as readonly string[]).includes(route.path),
);
const accessByPath = new Map<string, StaffAccess>(
  Object.values(STAFF_ACCESS).map((access) => [access.path, access]),
);
const EMAILS: Record<StaffRole, string> = {
  agent: "agent@example.com",
  operations: "ops@example.com",
  compliance: "compliance@example.com",
  admin: "admin@example.com",
};

const params: Record<string, string> = {};
const cookies = {} as Record<StaffRole, string>;

beforeAll(async () => {
  const db = app.db();
  const [someCase] = await db.select({ id: cancellationCases.id }).from(cancellationCases).limit(1);
  if (!someCase) throw new Error("the demo data have no case");
  await ensureTerminationLetter(db, someCase.id, "http://localhost");
  const [letter] = await db
    .select({ id: documents.id, caseId: documents.caseId })
    .from(documents)
    .where(eq(documents.caseId, someCase.id))
    .limit(1);
  const [notice] = await db
    .select({ id: unmatchedNotices.id })
    .from(unmatchedNotices)
    .where(eq(unmatchedNotices.status, "pending"))
    .limit(1);
  const [someone] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(and(eq(staffUsers.email, "agent@example.com")));
  const [someReturn] = await db
    .select({ returnNumber: equipmentReturns.returnNumber })
    .from(equipmentReturns)
    .limit(1);
  const [someRefund] = await db.select({ id: refunds.id }).from(refunds).limit(1);
  const [someOffer] = await db.select({ id: offers.id }).from(offers).limit(1);
  if (!letter?.caseId || !notice || !someone || !someReturn || !someRefund)
    throw new Error("the demo data lack a case, notice, staff, return or refund");
  Object.assign(params, {
    caseId: letter.caseId,
    documentId: letter.id,
    noticeId: notice.id,
    staffId: someone.id,
    returnNumber: someReturn.returnNumber,
    refundId: someRefund.id,
    // The analytics CSV of one chart (every chart shares the route and its guard).
    chart: ANALYTICS_CHARTS.reasonsByWeek,
    // The CSV of one legal-deadline KPI (every KPI shares the route and its guard).
    kpi: COMPLIANCE_KPIS.withdrawals,
    offerId: someOffer?.id,
  });
  // The subject-access export of the case's subscriber.
  const [subject] = await db
    .select({ id: cancellationCases.subscriberId })
    .from(cancellationCases)
    .where(eq(cancellationCases.id, letter.caseId));
  params.subscriberId = subject!.id;
  // A completed audit trail export, for its manifest's address.
  const [someExport] = await db
    .insert(auditExports)
    .values({
      format: "csv",
      filters: {
        from: null,
        to: null,
        caseId: null,
        caseReference: null,
        types: [],
        actorType: null,
        actorId: null,
      },
      status: "complete",
      rows: 0,
      bytes: 0,
      sha256: "0".repeat(64),
      manifest: {
        version: 1,
        format: "csv",
        gzip: false,
        file: "journal-audit.csv",
        bytes: 0,
        sha256: "0".repeat(64),
        rows: 0,
        filters: {
          from: null,
          to: null,
          caseId: null,
          caseReference: null,
          types: [],
          actorType: null,
          actorId: null,
        },
        createdAt: new Date().toISOString(),
        createdBy: "cli",
        checkpoint: null,
        anchors: null,
        anchorsOmitted: "no_checkpoint",
        keyId: "0".repeat(16),
        signature: "",
      },
      completedAt: new Date(),
    })
    .returning({ id: auditExports.id });
  params.exportId = someExport!.id;
  // A win-back item: the seed's, or one made here when the seed has none.
  const [someItem] = await db.select({ id: winbackItems.id }).from(winbackItems).limit(1);
  if (someItem) params.itemId = someItem.id;
  else {
    const [operator] = await db.select({ id: operators.id }).from(operators).limit(1);
    const made = await insertWinbackItem(db, {
      operatorId: operator!.id,
      channel: "email",
      window: "any",
    });
    params.itemId = made.item.id;
  }
  // A webhook endpoint (the demo data have none).
  const [endpoint] = await db
    .insert(webhookEndpoints)
    .values({
      url: "https://it.example.com/hooks",
      eventTypes: ["case.notified"],
      secret: "whsec_staff-access-test",
      enabled: false,
    })
    .returning({ id: webhookEndpoints.id });
  params.endpointId = endpoint!.id;
  // An API key to revoke (the confirmation page).
  params.apiKeyId = (
    await createApiKey(db, { name: "Staff access test", scopes: ["cases:read"], createdBy: null })
  ).id;
  for (const role of STAFF_ROLES) cookies[role] = await signIn(app.url, EMAILS[role]);
});

function concrete(path: string): string {
  return `/${path.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name];
    if (!value) throw new Error(`no sample value for :${name} in ${path}`);
    return value;
  })}`;
}

describe("the staff route table", () => {
  it("has staff routes, each either public (sign-in pages) or with an access entry", () => {
    expect(guarded.length).toBeGreaterThanOrEqual(Object.keys(STAFF_ACCESS).length);
    for (const route of guarded) {
      expect(accessByPath.has(route.path), `${route.path} has no STAFF_ACCESS entry`).toBe(true);
    }
  });
});

describe.each(guarded.map((route) => [route.path, route]))("%s", (path) => {
  const access = () => accessByPath.get(path)!;

  it("sends an anonymous visitor to sign-in, and refuses an anonymous POST", async () => {
    const url = app.url(concrete(path));
    const response = await getPage(url);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get("location")!, url);
    expect(location.pathname).toBe("/staff/connexion");
    expect(location.searchParams.get("next")).toBe(concrete(path));
    const post = await postForm(url, { intent: "anything" });
    // Pages with an action send the visitor to sign-in; download routes have no action (405).
    expect([303, 405]).toContain(post.status);
    if (post.status === 303)
      expect(new URL(post.headers.get("location")!, url).pathname).toBe("/staff/connexion");
  });

  it.each(STAFF_ROLES)("answers %s according to its access entry", async (role) => {
    const url = app.url(concrete(path));
    const view = await getPage(url, cookies[role]);
    expect(view.status, `GET as ${role}`).toBe(access().view.includes(role as never) ? 200 : 403);
    if (!access().act.includes(role as never)) {
      // A role that may not act is refused before anything is read from the form.
      const post = await postForm(url, { intent: "disable" }, { cookie: cookies[role] });
      expect([403, 405], `POST as ${role}`).toContain(post.status);
    }
  });
});

describe("what the issue names", () => {
  it("refuses an agent the compliance page and staff administration with 403", async () => {
    for (const path of ["/staff/conformite", "/staff/comptes", "/staff/comptes/nouveau"]) {
      const response = await getPage(app.url(path), cookies.agent);
      expect(response.status, path).toBe(403);
      expect(await response.text()).toContain("Accès refusé");
    }
  });
});
