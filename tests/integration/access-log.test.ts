import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { recordEvent } from "../../app/audit/record-event.server";
import { dateInZone } from "../../app/domain/dates";
import {
  auditEvents,
  operators,
  staffUsers,
  type CancellationCase,
  type Operator,
  type StaffUser,
  type UnmatchedNotice,
} from "../../db/schema";
import { insertUnmatchedNotice, markMatchedFromNotice } from "../factories/compliance";
import { insertCase, insertContract, insertStaffUser, insertSubscriber } from "../factories/index";
import { setupPortal } from "../setup/portal";
import { getPage, signIn } from "../setup/staff-http";

// Issue #8's staff access log over HTTP against the real portal (production build, the demo
// data): a compliance officer's view of a case found by the case's reference as typed, views of
// the notice a case was made from, every filter, keyset pages without gaps or repeats, the CSV
// matching the page, reading the log itself logged, and roles.
const app = setupPortal("access_log");
const LOG = "/staff/conformite/acces";

/** Text as read: no tags, entities decoded, every kind of space a plain one. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}

/** The table's rows: event id and the row's text and HTML. */
function rows(html: string): { id: number; text: string; html: string }[] {
  return [...html.matchAll(/<tr data-event-id="(\d+)">([\s\S]*?)<\/tr>/g)].map((match) => ({
    id: Number(match[1]),
    text: plain(match[2]!),
    html: match[2]!,
  }));
}

function nextLink(html: string): string | null {
  const match = /<a[^>]*href="([^"]+)"[^>]*rel="next"|<a[^>]*rel="next"[^>]*href="([^"]+)"/.exec(
    html,
  );
  const href = match?.[1] ?? match?.[2];
  return href ? href.replace(/&amp;/g, "&") : null;
}

function parseCsv(text: string): string[][] {
  // Quoted fields (names, JSON) may hold commas: a small RFC 4180 reader.
  const body = text.replace(/^\uFEFF/, "");
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < body.length; i += 1) {
    const char = body[i]!;
    if (quoted) {
      if (char === '"' && body[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && body[i + 1] === "\n") {
      row.push(field);
      out.push(row);
      row = [];
      field = "";
      i += 1;
    } else field += char;
  }
  return out;
}

let operator: Operator;
const cookie = {} as Record<"compliance" | "ops" | "agent" | "admin", string>;
const staff = {} as Record<"compliance" | "ops", StaffUser>;

async function freshCase(): Promise<CancellationCase> {
  const db = app.db();
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    startDate: "2022-05-01",
  });
  const { case: row } = await insertCase(db, {
    operatorId: operator.id,
    subscriber,
    contracts: [contract],
    receivedAt: new Date(),
    effectiveEndDate: dateInZone(new Date(Date.now() + 12 * 86_400_000), "Europe/Paris"),
  });
  return row;
}

beforeAll(async () => {
  const db = app.db();
  [operator] = (await db.select().from(operators).where(eq(operators.slug, "nebula"))) as [
    Operator,
  ];
  for (const [role, email] of [
    ["compliance", "compliance@example.com"],
    ["ops", "ops@example.com"],
    ["agent", "agent@example.com"],
    ["admin", "admin@example.com"],
  ] as const) {
    cookie[role] = await signIn(app.url, email);
    if (role === "compliance" || role === "ops") {
      const [user] = await db.select().from(staffUsers).where(eq(staffUsers.email, email));
      staff[role] = user!;
    }
  }
});

describe("finding who read a case", () => {
  let viewed: CancellationCase;

  beforeAll(async () => {
    viewed = await freshCase();
    // The compliance officer opens the case; a subscriber's own reading and a staff state change
    // on the same case are not readings by staff.
    expect((await getPage(app.url(`/staff/dossiers/${viewed.id}`), cookie.compliance)).status).toBe(
      200,
    );
    await recordEvent(app.db(), {
      caseId: viewed.id,
      type: "case.viewed",
      actor: { type: "subscriber", id: viewed.subscriberId },
      meta: { ip: null, userAgent: null },
      data: { view: "case_page" },
    });
    await recordEvent(app.db(), {
      caseId: viewed.id,
      type: "case.confirmed",
      actor: { type: "staff", id: staff.ops.id },
      meta: { ip: null, userAgent: null },
      data: { reference: viewed.reference },
    });
  });

  it("finds the compliance officer's view by the case's reference, as typed", async () => {
    const typed = viewed.reference.toLowerCase().replace(/-/g, " ");
    const response = await getPage(
      app.url(`${LOG}?reference=${encodeURIComponent(typed)}`),
      cookie.compliance,
    );
    expect(response.status).toBe(200);
    const found = rows(await response.text());
    expect(found).toHaveLength(1);
    expect(found[0]!.text).toContain("Claire Conformité");
    expect(found[0]!.text).toContain("Conformité");
    expect(found[0]!.text).toContain("Dossier consulté Fiche du dossier");
    expect(found[0]!.html).toContain(`href="/staff/dossiers/${viewed.id}"`);
    expect(found[0]!.text).toContain(viewed.reference);
    const [event] = await app
      .db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.caseId, viewed.id),
          eq(auditEvents.type, "case.viewed"),
          eq(auditEvents.actorId, staff.compliance.id),
        ),
      );
    expect(found[0]!.id).toBe(event!.id);
  });

  it("combines the filters: staff member, action and days", async () => {
    const today = dateInZone(new Date(), "Europe/Paris");
    const base = `${LOG}?reference=${viewed.reference}`;
    const count = async (query: string) =>
      rows(await (await getPage(app.url(`${base}&${query}`), cookie.compliance)).text()).length;
    expect(await count(`membre=${staff.compliance.id}`)).toBe(1);
    expect(await count(`membre=${staff.ops.id}`)).toBe(0);
    expect(await count("type=case.viewed")).toBe(1);
    expect(await count("type=notice.viewed")).toBe(0);
    expect(await count(`du=${today}&au=${today}`)).toBe(1);
    expect(await count("du=2020-01-01&au=2020-01-31")).toBe(0);
    const none = plain(
      await (await getPage(app.url(`${base}&membre=${staff.ops.id}`), cookie.compliance)).text(),
    );
    expect(none).toContain("Aucun accès ne correspond à ces filtres.");
  });

  it("says so when no case or notice has the reference, and when the days are backwards", async () => {
    const unknown = plain(
      await (await getPage(app.url(`${LOG}?reference=RX-ZZZZ-ZZZZ`), cookie.compliance)).text(),
    );
    expect(unknown).toContain("Aucun dossier ni aucune demande ne porte cette référence.");
    const backwards = plain(
      await (
        await getPage(app.url(`${LOG}?du=2026-02-01&au=2026-01-01`), cookie.compliance)
      ).text(),
    );
    expect(backwards).toContain("Le premier jour doit précéder le dernier.");
  });
});

describe("the views of a notice and of the case made from it", () => {
  let notice: UnmatchedNotice;
  let made: CancellationCase;

  beforeAll(async () => {
    notice = await insertUnmatchedNotice(app.db(), {
      operatorId: operator.id,
      receivedAt: new Date(Date.now() - 3_600_000),
    });
    made = await freshCase();
    await markMatchedFromNotice(app.db(), { notice, caseRow: made, matchedAt: new Date() });
    expect((await getPage(app.url(`/staff/avis/${notice.id}`), cookie.ops)).status).toBe(200);
  });

  it("finds the notice's view by the notice's reference and by its case's", async () => {
    for (const reference of [notice.reference, made.reference]) {
      const found = rows(
        await (await getPage(app.url(`${LOG}?reference=${reference}`), cookie.compliance)).text(),
      );
      expect(found, reference).toHaveLength(1);
      expect(found[0]!.text).toContain("Omar Opérations");
      expect(found[0]!.text).toContain("Demande consultée");
      expect(found[0]!.html).toContain(`href="/staff/avis/${notice.id}"`);
    }
  });
});

it("finds an export of the subscriber's data by the reference of their case", async () => {
  const exported = await freshCase();
  await recordEvent(app.db(), {
    stream: `subscriber:${exported.subscriberId}`,
    type: "subject_access.exported",
    actor: { type: "staff", id: staff.compliance.id },
    meta: { ip: null, userAgent: null },
    data: { subscriberId: exported.subscriberId, caseIds: [exported.id], documents: 0 },
  });
  const found = rows(
    await (
      await getPage(app.url(`${LOG}?reference=${exported.reference}`), cookie.compliance)
    ).text(),
  );
  expect(found).toHaveLength(1);
  expect(found[0]!.text).toContain("Données d’un abonné exportées (droit d’accès)");
  expect(found[0]!.text).toContain("Claire Conformité");
});

describe("pages and CSV", () => {
  let reader: StaffUser;
  let expected: number[];

  beforeAll(async () => {
    // A staff member with 60 readings in January 2021, two of them at the same instant.
    const db = app.db();
    reader = await insertStaffUser(db, {
      passwordHash: "not-used",
      role: "compliance",
      displayName: "Régine Lectrice, fils",
    });
    const read = await freshCase();
    for (let i = 0; i < 60; i += 1) {
      const occurredAt = new Date(Date.UTC(2021, 0, 4, 9, i === 31 ? 30 : i));
      await recordEvent(db, {
        caseId: read.id,
        type: "case.viewed",
        actor: { type: "staff", id: reader.id },
        meta: { ip: "192.0.2.7", userAgent: 'Test, "quoted" agent' },
        occurredAt,
        data: { view: i % 2 === 0 ? "case_detail" : "document:termination_letter" },
      });
    }
    const events = await db
      .select({ id: auditEvents.id, occurredAt: auditEvents.occurredAt })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, reader.id));
    expected = events
      .sort((a, b) => b.occurredAt.getTime() - a.occurredAt.getTime() || b.id - a.id)
      .map((event) => event.id);
    expect(expected).toHaveLength(60);
  });

  it("pages newest first, 50 at a time, without a gap or a repeat", async () => {
    const first = await (
      await getPage(app.url(`${LOG}?membre=${reader.id}`), cookie.compliance)
    ).text();
    const page1 = rows(first);
    expect(page1).toHaveLength(50);
    const next = nextLink(first);
    expect(next).not.toBeNull();
    const second = await (await getPage(app.url(next!), cookie.compliance)).text();
    const page2 = rows(second);
    expect(page2).toHaveLength(10);
    expect(nextLink(second)).toBeNull();
    expect([...page1, ...page2].map((row) => row.id)).toEqual(expected);
    expect(page1[0]!.text).toContain("Document téléchargé : lettre de résiliation");
    expect(page1[1]!.text).toContain("Dossier consulté Fiche du dossier");
    expect(page1[0]!.text).toContain("192.0.2.7");
  });

  it("downloads the filtered log as CSV, the same rows in the same order", async () => {
    const response = await getPage(
      app.url(`/staff/conformite/acces/csv?membre=${reader.id}`),
      cookie.compliance,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="journal-des-acces_\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...lines] = parseCsv(await response.text());
    expect(header).toEqual([
      "Événement n°",
      "Date et heure (UTC)",
      "Identifiant du membre",
      "Membre de l’équipe",
      "Rôle",
      "Type d’événement",
      "Action",
      "Précision",
      "Dossier",
      "Demande",
      "Adresse IP",
      "Navigateur",
      "Données de l’événement (JSON)",
    ]);
    expect(lines.map((line) => Number(line[0]))).toEqual(expected);
    const [newest] = lines;
    expect(newest!.slice(1, 8)).toEqual([
      "2021-01-04T09:59:00.000Z",
      reader.id,
      "Régine Lectrice, fils",
      "compliance",
      "case.viewed",
      "Dossier consulté",
      // French typography: a narrow no-break space before the colon.
      "Document téléchargé\u202f: lettre de résiliation",
    ]);
    expect(newest![10]).toBe("192.0.2.7");
    expect(newest![11]).toBe('Test, "quoted" agent');
    expect(newest![12]).toBe('{"view":"document:termination_letter"}');
  });

  it("records every reading of the log, and shows them in it", async () => {
    const before = await app
      .db()
      .select({ id: auditEvents.id })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.actorId, staff.compliance.id),
          eq(auditEvents.type, "access_log.viewed"),
        ),
      );
    await getPage(app.url(`${LOG}?membre=${reader.id}&type=case.viewed`), cookie.compliance);
    await (
      await getPage(app.url(`/staff/conformite/acces/csv?membre=${reader.id}`), cookie.compliance)
    ).text();
    const after = await app
      .db()
      .select({ data: auditEvents.data, stream: auditEvents.stream })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.actorId, staff.compliance.id),
          eq(auditEvents.type, "access_log.viewed"),
        ),
      );
    expect(after.length).toBe(before.length + 1);
    expect(after).toContainEqual({
      stream: `staff:${staff.compliance.id}`,
      data: { filters: { staffId: reader.id, type: "case.viewed" } },
    });
    const exported = await app
      .db()
      .select({ data: auditEvents.data })
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.actorId, staff.compliance.id),
          eq(auditEvents.type, "access_log.exported"),
        ),
      );
    expect(exported).toContainEqual({ data: { filters: { staffId: reader.id } } });
    // The log shows its own readings (the one of this very page first).
    const own = rows(
      await (
        await getPage(
          app.url(`${LOG}?membre=${staff.compliance.id}&type=access_log.viewed`),
          cookie.compliance,
        )
      ).text(),
    );
    expect(own[0]!.text).toContain("Journal des accès consulté");
    expect(own[0]!.text).toContain("action Journal des accès consulté");
  });
});

it("refuses operations and agents, page and CSV", async () => {
  for (const role of ["ops", "agent"] as const) {
    expect((await getPage(app.url(LOG), cookie[role])).status, role).toBe(403);
    expect((await getPage(app.url(`${LOG}/csv`), cookie[role])).status, role).toBe(403);
  }
  expect((await getPage(app.url(LOG), cookie.admin)).status).toBe(200);
  expect((await getPage(app.url(`${LOG}/csv`), cookie.admin)).status).toBe(200);
});
