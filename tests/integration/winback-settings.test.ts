import { and, asc, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT_REASONS } from "../../app/domain/enums";
import type { RoutingTable } from "../../app/domain/winback-routing";
import { SurveyAnswerSchema } from "../../app/routes/public/survey-schema";
import { saveSurveyAnswer } from "../../app/services/save-survey-answer.server";
import { loadWinbackItem } from "../../app/services/winback/load-workspace.server";
import {
  loadRoutingTable,
  WINBACK_SETTINGS_STREAM,
} from "../../app/services/winback/settings.server";
import {
  auditEvents,
  offers,
  operators,
  staffUsers,
  winbackItems,
  winbackRoutes,
  type Operator,
} from "../../db/schema";
import { insertCase, insertContract, insertSubscriber } from "../factories/index";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";

// Issue #7, "rules are data that admin can change in the UI, with the change audited", and the
// offer catalogue, over HTTP against the production build: admin re-routes an exit reason and
// the next survey answer follows; bad values are refused in words and change nothing; the
// contact policy; offers added, refused as duplicates, edited, deactivated — as the agent's
// catalogue sees them; compliance reads, other roles are refused.
const app = setupPortal("winback_settings");

const PAGE = "/staff/reglages/reconquete";
const meta = { ip: "192.0.2.77", userAgent: "vitest winback settings" };

/** Text as read: no tags, entities decoded, every kind of space a plain one. */
function plain(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ");
}

let operator: Operator;
let adminId: string;
const cookie = { admin: "", compliance: "", agent: "", operations: "" };

/** The rules form as the page posts it: every reason's current rule, with some changed. */
function rulesForm(table: RoutingTable, changes: Record<string, string> = {}) {
  const fields: Record<string, string> = { intent: "rules" };
  for (const reason of EXIT_REASONS) {
    fields[`queue_${reason}`] = table[reason].queue ?? "none";
    fields[`sla_${reason}`] = table[reason].slaHours > 0 ? String(table[reason].slaHours) : "";
  }
  return { ...fields, ...changes };
}

const settingsEvents = (type: string) =>
  app
    .db()
    .select({
      data: auditEvents.data,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      ip: auditEvents.ip,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.stream, WINBACK_SETTINGS_STREAM), eq(auditEvents.type, type)))
    .orderBy(asc(auditEvents.seq));

async function streamLength(): Promise<number> {
  const [row] = await app
    .db()
    .select({ n: count() })
    .from(auditEvents)
    .where(eq(auditEvents.stream, WINBACK_SETTINGS_STREAM));
  return row?.n ?? 0;
}

/** A subscriber who cancelled and answers the exit survey, agreeing to a call. */
async function answeredSurvey(reason: string, now: Date) {
  const db = app.db();
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    startDate: "2023-03-02",
  });
  const { case: row } = await insertCase(db, {
    operatorId: operator.id,
    subscriber,
    contracts: [contract],
    receivedAt: now,
    effectiveEndDate: "2026-04-02",
  });
  await saveSurveyAnswer(db, {
    caseId: row.id,
    subscriberId: subscriber.id,
    meta,
    now,
    answer: SurveyAnswerSchema.parse({
      reason,
      contactConsent: "yes",
      contactChannel: "phone",
      contactWindow: "afternoon",
    }),
  });
  const items = await db.select().from(winbackItems).where(eq(winbackItems.caseId, row.id));
  expect(items).toHaveLength(1);
  return items[0]!;
}

beforeAll(async () => {
  const db = app.db();
  const [nebula] = await db.select().from(operators).where(eq(operators.slug, "nebula"));
  const [admin] = await db
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.email, "admin@example.com"));
  if (!nebula || !admin) throw new Error("the seeded operator or admin is missing");
  operator = nebula;
  adminId = admin.id;
  cookie.admin = await signIn(app.url, "admin@example.com");
  cookie.compliance = await signIn(app.url, "compliance@example.com");
  cookie.agent = await signIn(app.url, "agent@example.com");
  cookie.operations = await signIn(app.url, "ops@example.com");
});

describe("routing rules", () => {
  it("admin sends 'moving' to the apology queue within 12 h: stored, audited, followed by the next answer", async () => {
    const page = await getPage(app.url(PAGE), cookie.admin);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(plain(html)).toContain("Règles d’orientation");
    // Every reason with its translated label, its queue and its SLA field.
    expect(plain(html)).toContain("Un déménagement");
    expect(html).toContain('id="queue_moving"');
    expect(html).toContain('id="sla_moving"');
    expect(plain(html)).toContain(
      "Les éléments déjà en file restent où ils sont, avec leur échéance.",
    );

    const before = await loadRoutingTable(app.db(), operator.id);
    expect(before.moving).toEqual({ queue: "new_address", slaHours: 72 });
    const response = await postForm(
      app.url(PAGE),
      rulesForm(before, { queue_moving: "apology", sla_moving: "12" }),
      { cookie: cookie.admin },
    );
    expect(response.status).toBe(200);
    expect(plain(await response.text())).toContain(
      "Règles enregistrées : 1 raison modifiée. Les nouvelles réponses la suivent dès maintenant.",
    );

    const [stored] = await app
      .db()
      .select()
      .from(winbackRoutes)
      .where(and(eq(winbackRoutes.operatorId, operator.id), eq(winbackRoutes.reason, "moving")));
    expect(stored).toMatchObject({ queue: "apology", slaHours: 12, updatedBy: adminId });
    // One event, for the one reason that changed, with its old and new values.
    const events = await settingsEvents("winback.rule_changed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorType: "staff",
      actorId: adminId,
      data: {
        reason: "moving",
        queue: "apology",
        slaHours: 12,
        previousQueue: "new_address",
        previousSlaHours: 72,
      },
    });

    // The next survey answer with consent and reason "moving" lands in the apology queue,
    // due 12 hours after the answer.
    const now = new Date("2026-03-02T15:00:00+01:00");
    const item = await answeredSurvey("moving", now);
    expect(item.queue).toBe("apology");
    expect(item.slaDueAt.toISOString()).toBe(new Date("2026-03-03T03:00:00+01:00").toISOString());

    // The history shows who changed what, before → after.
    const after = plain(await (await getPage(app.url(PAGE), cookie.admin)).text());
    expect(after).toContain("Historique des modifications");
    expect(after).toMatch(
      /Règle « Un déménagement » Nouvelle adresse, premier contact sous 72 h Appel d’excuses, premier contact sous 12 h/,
    );
  });

  it("saving unchanged rules says nothing changed and writes no event", async () => {
    const events = await streamLength();
    const table = await loadRoutingTable(app.db(), operator.id);
    const response = await postForm(app.url(PAGE), rulesForm(table), { cookie: cookie.admin });
    expect(response.status).toBe(200);
    expect(plain(await response.text())).toContain(
      "Rien n’a changé : les valeurs envoyées sont déjà celles enregistrées.",
    );
    expect(await streamLength()).toBe(events);
  });

  it.each([
    ["0", "fr"],
    ["abc", "fr"],
    ["721", "en"],
  ])(
    "refuses an SLA of %s with a translated error tied to its field (%s), and changes nothing",
    async (sla, lang) => {
      const events = await streamLength();
      const table = await loadRoutingTable(app.db(), operator.id);
      const response = await postForm(
        app.url(PAGE),
        rulesForm(table, { queue_price: "service_recovery", sla_price: sla }),
        { cookie: `${cookie.admin}; lang=${lang}` },
      );
      expect(response.status).toBe(400);
      const html = await response.text();
      const text = plain(html);
      if (lang === "fr") {
        expect(text).toContain(
          "Le prix : Indiquez le délai de premier contact en heures, un nombre entier de 1 à 720.",
        );
      } else {
        expect(text).toContain(
          "Price: Enter the time to first contact in hours, a whole number from 1 to 720.",
        );
      }
      // The summary links to the field, which is marked invalid and keeps what was typed.
      expect(html).toContain('href="#sla_price"');
      expect(html).toMatch(
        /<input[^>]*aria-invalid="true"[^>]*id="sla_price"|id="sla_price"[^>]*aria-invalid="true"/,
      );
      expect(html).toContain(`value="${sla}"`);
      expect(await loadRoutingTable(app.db(), operator.id)).toEqual(table);
      expect(await streamLength()).toBe(events);
    },
  );

  it("ignores the SLA of a reason sent to no win-back", async () => {
    const table = await loadRoutingTable(app.db(), operator.id);
    const response = await postForm(
      app.url(PAGE),
      rulesForm(table, { queue_other: "none", sla_other: "abc" }),
      { cookie: cookie.admin },
    );
    expect(response.status).toBe(200);
    expect(plain(await response.text())).toContain("Rien n’a changé");
  });
});

describe("contact policy", () => {
  it("stores and audits a new limit, shows the contact windows and their legal source", async () => {
    const page = plain(await (await getPage(app.url(PAGE), cookie.admin)).text());
    expect(page).toContain("Créneaux de contact");
    expect(page).toContain("10 h – 13 h, 14 h – 20 h");
    expect(page).toContain("décret n° 2022-1313 du 13 octobre 2022");

    const response = await postForm(
      app.url(PAGE),
      { intent: "policy", maxAttempts: "3", maxAgeDays: "45" },
      { cookie: cookie.admin },
    );
    expect(response.status).toBe(200);
    expect(plain(await response.text())).toContain("Politique de contact enregistrée.");
    const [row] = await app
      .db()
      .select({
        maxAttempts: operators.winbackMaxAttempts,
        maxAgeDays: operators.winbackMaxAgeDays,
      })
      .from(operators)
      .where(eq(operators.id, operator.id));
    expect(row).toEqual({ maxAttempts: 3, maxAgeDays: 45 });
    const events = await settingsEvents("winback.policy_changed");
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: adminId,
      ip: expect.any(String),
      data: { maxAttempts: 3, maxAgeDays: 45, previousMaxAttempts: 2, previousMaxAgeDays: 30 },
    });

    const again = await postForm(
      app.url(PAGE),
      { intent: "policy", maxAttempts: "3", maxAgeDays: "45" },
      { cookie: cookie.admin },
    );
    expect(plain(await again.text())).toContain("Rien n’a changé");
    expect(await settingsEvents("winback.policy_changed")).toHaveLength(1);
  });

  it("refuses values out of range, field by field, and changes nothing", async () => {
    const response = await postForm(
      app.url(PAGE),
      { intent: "policy", maxAttempts: "11", maxAgeDays: "0" },
      { cookie: cookie.admin },
    );
    expect(response.status).toBe(400);
    const text = plain(await response.text());
    expect(text).toContain("Indiquez le nombre de tentatives, un nombre entier de 1 à 10.");
    expect(text).toContain("Indiquez la durée d’ouverture en jours, un nombre entier de 1 à 365.");
    const [row] = await app
      .db()
      .select({ maxAttempts: operators.winbackMaxAttempts })
      .from(operators)
      .where(eq(operators.id, operator.id));
    expect(row?.maxAttempts).toBe(3);
  });
});

describe("offer catalogue", () => {
  const codeRows = (code: string) =>
    app
      .db()
      .select()
      .from(offers)
      .where(and(eq(offers.operatorId, operator.id), eq(offers.code, code)));

  it("adds an offer the agents see, refuses a duplicate code, edits and deactivates it", async () => {
    const item = await answeredSurvey("price", new Date("2026-03-02T16:00:00+01:00"));
    const catalogue = async () =>
      (await loadWinbackItem(app.db(), item.id))!.offers.map((offer) => offer.code);

    // Added (typed in lower case: stored upper-case) → in the agent's catalogue.
    const added = await postForm(
      app.url(PAGE),
      {
        intent: "offer",
        code: " fibre-12m-free ",
        name: "Un an de fibre offert",
        description: "Douze mois d’abonnement fibre offerts, sans engagement.",
      },
      { cookie: cookie.admin },
    );
    expect(added.status).toBe(200);
    expect(plain(await added.text())).toContain("Offre FIBRE-12M-FREE ajoutée au catalogue");
    const [offer] = await codeRows("FIBRE-12M-FREE");
    expect(offer).toMatchObject({ name: "Un an de fibre offert", active: true });
    expect(await catalogue()).toContain("FIBRE-12M-FREE");

    // The same code again is refused on its field; still one offer with that code.
    const duplicate = await postForm(
      app.url(PAGE),
      { intent: "offer", code: "FIBRE-12M-FREE", name: "Autre", description: "Autre offre." },
      { cookie: cookie.admin },
    );
    expect(duplicate.status).toBe(409);
    const duplicateHtml = await duplicate.text();
    expect(plain(duplicateHtml)).toContain("Ce code existe déjà dans le catalogue");
    expect(duplicateHtml).toContain('href="#code"');
    expect(await codeRows("FIBRE-12M-FREE")).toHaveLength(1);

    // A code with spaces is refused in words.
    const badCode = await postForm(
      app.url(PAGE),
      { intent: "offer", code: "FIBRE 12", name: "X", description: "Y" },
      { cookie: cookie.admin },
    );
    expect(badCode.status).toBe(400);
    expect(plain(await badCode.text())).toContain(
      "Le code ne contient que des lettres majuscules, des chiffres et des tirets",
    );
    expect(await codeRows("FIBRE 12")).toHaveLength(0);

    // Edited on its own page: name changed, the code stays.
    const offerPage = app.url(`${PAGE}/offres/${offer!.id}`);
    expect((await getPage(offerPage, cookie.admin)).status).toBe(200);
    const edited = await postForm(
      offerPage,
      {
        intent: "edit",
        name: "Un an de fibre offert (réabonnement)",
        description: offer!.description,
      },
      { cookie: cookie.admin },
    );
    expect(edited.status).toBe(200);
    expect(plain(await edited.text())).toContain("Offre enregistrée");
    const unchanged = await postForm(
      offerPage,
      {
        intent: "edit",
        name: "Un an de fibre offert (réabonnement)",
        description: offer!.description,
      },
      { cookie: cookie.admin },
    );
    expect(plain(await unchanged.text())).toContain("Rien n’a changé");
    const emptyName = await postForm(
      offerPage,
      { intent: "edit", name: " ", description: offer!.description },
      { cookie: cookie.admin },
    );
    expect(emptyName.status).toBe(400);
    expect(plain(await emptyName.text())).toContain("Indiquez le nom de l’offre.");

    // Deactivated from the list: gone from the agent's catalogue, still in the table.
    const deactivated = await postForm(
      app.url(PAGE),
      { intent: "offerActive", offerId: offer!.id, active: "false" },
      { cookie: cookie.admin },
    );
    expect(deactivated.status).toBe(200);
    expect(plain(await deactivated.text())).toContain("Offre désactivée");
    expect(await catalogue()).not.toContain("FIBRE-12M-FREE");
    expect((await codeRows("FIBRE-12M-FREE"))[0]?.active).toBe(false);
    // Reactivated from its page: back in the catalogue.
    const reactivated = await postForm(
      offerPage,
      { intent: "reactivate" },
      { cookie: cookie.admin },
    );
    expect(plain(await reactivated.text())).toContain("Offre réactivée");
    expect(await catalogue()).toContain("FIBRE-12M-FREE");

    // Each change is one audit event with its old and new values, and the history shows them.
    const events = (await settingsEvents("winback.offer_changed")).filter(
      (event) => (event.data as { code: string }).code === "FIBRE-12M-FREE",
    );
    expect(events.map((event) => event.data)).toEqual([
      expect.objectContaining({ action: "created", previousName: null, active: true }),
      expect.objectContaining({
        action: "edited",
        previousName: "Un an de fibre offert",
        name: "Un an de fibre offert (réabonnement)",
      }),
      expect.objectContaining({ action: "deactivated", previousActive: true, active: false }),
      expect.objectContaining({ action: "reactivated", previousActive: false, active: true }),
    ]);
    expect(events.every((event) => event.actorId === adminId)).toBe(true);
    const history = plain(await (await getPage(app.url(PAGE), cookie.admin)).text());
    const newest = history.indexOf("Offre FIBRE-12M-FREE réactivée");
    expect(newest).toBeGreaterThan(-1);
    expect(history.indexOf("Offre FIBRE-12M-FREE ajoutée")).toBeGreaterThan(newest);
    expect(history).toContain(
      "Nom : Un an de fibre offert Nom : Un an de fibre offert (réabonnement)",
    );
  });

  it("answers 404 for an offer that does not exist", async () => {
    const missing = await getPage(
      app.url(`${PAGE}/offres/00000000-0000-4000-8000-000000000000`),
      cookie.admin,
    );
    expect(missing.status).toBe(404);
    expect((await getPage(app.url(`${PAGE}/offres/pas-un-id`), cookie.admin)).status).toBe(404);
  });
});

describe("who may see and change the settings", () => {
  it("shows compliance the settings read-only and refuses its POST with 403", async () => {
    const page = await getPage(app.url(PAGE), cookie.compliance);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(plain(html)).toContain("Lecture seule");
    expect(plain(html)).toContain("Un déménagement Appel d’excuses, premier contact sous 12 h");
    expect(html).not.toContain('name="intent"');

    const events = await streamLength();
    const table = await loadRoutingTable(app.db(), operator.id);
    const post = await postForm(app.url(PAGE), rulesForm(table, { queue_moving: "offers" }), {
      cookie: cookie.compliance,
    });
    expect(post.status).toBe(403);
    expect(await loadRoutingTable(app.db(), operator.id)).toEqual(table);
    expect(await streamLength()).toBe(events);
  });

  it("refuses agent and operations, reading or writing, with 403", async () => {
    const [someOffer] = await app.db().select({ id: offers.id }).from(offers).limit(1);
    for (const role of ["agent", "operations"] as const) {
      for (const path of [PAGE, `${PAGE}/offres/${someOffer!.id}`]) {
        const view = await getPage(app.url(path), cookie[role]);
        expect(view.status, `GET ${path} as ${role}`).toBe(403);
        const post = await postForm(
          app.url(path),
          { intent: "policy", maxAttempts: "9", maxAgeDays: "9" },
          { cookie: cookie[role] },
        );
        expect(post.status, `POST ${path} as ${role}`).toBe(403);
      }
    }
    expect(
      (await getPage(app.url(`${PAGE}/offres/${someOffer!.id}`), cookie.compliance)).status,
    ).toBe(403);
  });

  it("puts the page in admin's navigation", async () => {
    const html = await (await getPage(app.url("/staff"), cookie.admin)).text();
    expect(html).toContain(`href="${PAGE}"`);
    const agentHtml = await (await getPage(app.url("/staff"), cookie.agent)).text();
    expect(agentHtml).not.toContain(`href="${PAGE}"`);
  });
});
