import { and, asc, count, eq, inArray, isNull, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../app/auth/password.server";
import type { ContactWindow } from "../../app/domain/enums";
import { contactWindowState } from "../../app/domain/winback-policy";
import {
  auditEvents,
  contactAttempts,
  offers,
  operators,
  staffUsers,
  subscribers,
  winbackItems,
  type Offer,
  type Operator,
} from "../../db/schema";
import { insertStaffUser } from "../factories";
import { insertWinbackItem, type InsertWinbackItemInput } from "../factories/winback";
import { setupPortal } from "../setup/portal";
import { DEMO_PASSWORD, getPage, postForm, signIn } from "../setup/staff-http";

// Issue #7's win-back workspace over HTTP against the real portal (production build, seeded
// Postgres, real SMTP): the queue and its numbers, claiming (two agents at once), an email
// attempt with an offer, the outcome, the attempt limit, the contact window, "asked not to be
// contacted", roles, and bad input. Items are born as real ones: a case, a survey answer with
// consent, routed by the service.
const app = setupPortal("winback_workspace");
const PARIS = "Europe/Paris";

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

/** The text of the table row that mentions `needle`. */
function rowWith(html: string, needle: string): string {
  const row = html.split("<tr").find((chunk) => chunk.includes(needle));
  if (!row) throw new Error(`no table row mentions ${needle}`);
  return plain(row.slice(0, row.indexOf("</tr>")));
}

let operator: Operator;
let offer: Offer;
let agent: string;
let agent2: string;
let ops: string;
let compliance: string;

const itemUrl = (id: string) => app.url(`/staff/reconquete/${id}`);
const newItem = (values: Omit<InsertWinbackItemInput, "operatorId">) =>
  insertWinbackItem(app.db(), { operatorId: operator.id, ...values });

async function claim(itemId: string, cookie = agent) {
  const response = await postForm(itemUrl(itemId), { intent: "claim" }, { cookie });
  expect(response.status).toBe(303);
}

function emailAttempt(seen: number, extra: Record<string, string> = {}) {
  return {
    intent: "attempt",
    channel: "email",
    outcome: "sent",
    offerId: "",
    note: "",
    attemptsSeen: String(seen),
    ...extra,
  };
}

async function auditCount(caseId: string, type: string): Promise<number> {
  const [row] = await app
    .db()
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.type, type)));
  return row?.n ?? 0;
}

async function attemptsOf(itemId: string) {
  return app
    .db()
    .select()
    .from(contactAttempts)
    .where(eq(contactAttempts.winbackItemId, itemId))
    .orderBy(asc(contactAttempts.attemptedAt));
}

async function itemRow(itemId: string) {
  const [row] = await app.db().select().from(winbackItems).where(eq(winbackItems.id, itemId));
  return row!;
}

/** "lundi 30 novembre à 10:00", as the pages say when a window opens. */
const opening = (instant: Date, locale = "fr-FR") =>
  new Intl.DateTimeFormat(locale, {
    weekday: "long",
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: PARIS,
  }).format(instant);

beforeAll(async () => {
  const db = app.db();
  const [nebula] = await db.select().from(operators).where(eq(operators.slug, "nebula"));
  if (!nebula) throw new Error("the seeded operator is missing");
  operator = nebula;
  const [active] = await db
    .select()
    .from(offers)
    .where(and(eq(offers.operatorId, operator.id), eq(offers.active, true)))
    .orderBy(asc(offers.code))
    .limit(1);
  if (!active) throw new Error("the seeded operator has no active offer");
  offer = active;
  agent = await signIn(app.url, "agent@example.com");
  agent2 = await signIn(app.url, "agent2@example.com");
  ops = await signIn(app.url, "ops@example.com");
  compliance = await signIn(app.url, "compliance@example.com");
});

describe("the queue", () => {
  it("lists open items with their SLA timer, attempts, channel and window, and counts per queue", async () => {
    const now = Date.now();
    // Routed 50 hours ago to the offers queue (48 h SLA): overdue by 2 hours.
    const late = await newItem({
      channel: "email",
      window: "any",
      reason: "price",
      now: new Date(now - 50 * 3_600_000),
      subscriberValues: { firstName: "Margaux", lastName: "Lenoir" },
    });
    // Routed now to service recovery (24 h SLA).
    const fresh = await newItem({
      channel: "phone",
      window: "morning",
      reason: "outages",
      subscriberValues: { firstName: "Yanis", lastName: "Roux" },
    });

    const response = await getPage(app.url("/staff/reconquete"), agent);
    expect(response.status).toBe(200);
    const html = await response.text();

    const lateRow = rowWith(html, late.caseReference);
    expect(lateRow).toContain("Margaux Lenoir");
    expect(lateRow).toContain("Le prix");
    expect(lateRow).toContain("Offres");
    expect(lateRow).toMatch(/En retard de 2 h/);
    expect(lateRow).toContain("Personne");
    expect(lateRow).toContain("0 / 2");
    expect(lateRow).toContain("Par e-mail");
    expect(lateRow).toContain("Journée (10 h – 13 h, 14 h – 20 h)");
    expect(html).toContain(`dateTime="${late.item.slaDueAt.toISOString()}"`);

    const freshRow = rowWith(html, fresh.caseReference);
    expect(freshRow).toContain("Yanis Roux");
    expect(freshRow).toContain("Des coupures de service");
    expect(freshRow).toContain("Qualité de service");
    expect(freshRow).toMatch(/À faire dans 23 h/);
    expect(freshRow).toContain("Par téléphone");
    expect(freshRow).toContain("Matin (10 h – 13 h)");

    // The header's numbers are the database's.
    const counted = await app
      .db()
      .select({
        queue: winbackItems.queue,
        open: count(),
        unclaimed: sql<number>`count(*) filter (where ${winbackItems.claimedBy} is null)::int`,
        overdue: sql<number>`count(*) filter (where ${winbackItems.slaDueAt} < now() and ${winbackItems.firstContactAt} is null)::int`,
      })
      .from(winbackItems)
      .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
      .where(
        and(
          inArray(winbackItems.status, ["new", "claimed", "contacted"]),
          eq(subscribers.marketingSuppressed, false),
        ),
      )
      .groupBy(winbackItems.queue);
    const offersCount = counted.find((row) => row.queue === "offers")!;
    expect(offersCount.overdue).toBeGreaterThanOrEqual(1);
    expect(rowWith(html, ">Offres</a>")).toContain(
      `Offres ${offersCount.open} ${offersCount.unclaimed} ${offersCount.overdue}`,
    );

    // The queue filter, a plain GET form.
    const filtered = await (
      await getPage(app.url("/staff/reconquete?statut=open&file=service_recovery"), agent)
    ).text();
    expect(filtered).toContain(fresh.caseReference);
    expect(filtered).not.toContain(late.caseReference);
    // The tabs keep the filter.
    expect(filtered).toContain('href="/staff/reconquete?statut=mine&amp;file=service_recovery"');
  });

  it("says so when a tab is empty", async () => {
    // A newcomer to the team holds nothing yet (the demo's agents hold some of today's work).
    await insertStaffUser(app.db(), {
      email: "agent.newcomer@example.com",
      displayName: "Nina Nouvelle",
      role: "agent",
      passwordHash: await hashPassword(DEMO_PASSWORD),
    });
    const newcomer = await signIn(app.url, "agent.newcomer@example.com");
    const html = plain(
      await (await getPage(app.url("/staff/reconquete?statut=mine&file=apology"), newcomer)).text(),
    );
    expect(html).toContain("Vous ne traitez aucun élément de la file « Excuses ».");
  });
});

describe("an agent wins a subscriber back", () => {
  it("claims, logs an email attempt with an offer, and marks it won back — stored and audited", async () => {
    const made = await newItem({
      channel: "email",
      window: "any",
      subscriberValues: { firstName: "Nadia", lastName: "Bernier" },
    });
    const { item, subscriber } = made;

    // Before the claim: no contact details.
    let html = plain(await (await getPage(itemUrl(item.id), agent)).text());
    expect(html).toContain("Personne ne traite cet élément pour l’instant.");
    expect(html).not.toContain(subscriber.email);

    const claimed = await postForm(itemUrl(item.id), { intent: "claim" }, { cookie: agent });
    expect(claimed.status).toBe(303);
    expect(claimed.headers.get("location")).toBe(`/staff/reconquete/${item.id}?fait=claimed`);
    const claimedPage = await (
      await getPage(app.url(claimed.headers.get("location")!), agent)
    ).text();
    html = plain(claimedPage);
    expect(html).toContain("Élément pris en charge : il est à vous.");
    // The consented channel's details only: the email address, not the phone number.
    expect(html).toContain(subscriber.email);
    expect(html).not.toContain(subscriber.phone!);
    // The case in brief: no fees, deposits, refunds or payment data.
    const caseCard = plain(
      claimedPage.slice(
        claimedPage.indexOf('id="winback-case"'),
        claimedPage.indexOf("</section>", claimedPage.indexOf('id="winback-case"')),
      ),
    );
    expect(caseCard).toContain("Fibre 1 Gb/s");
    expect(caseCard).toMatch(/39,99 € par mois/);
    expect(caseCard).not.toMatch(/frais|dépôt|rembours|IBAN|paiement/i);

    const logged = await postForm(
      itemUrl(item.id),
      emailAttempt(0, { offerId: offer.id, note: "Intéressée si le prix baisse." }),
      { cookie: agent },
    );
    expect(logged.status).toBe(303);
    const [attempt] = await attemptsOf(item.id);
    expect(attempt).toMatchObject({
      channel: "email",
      outcome: "sent",
      offerId: offer.id,
      note: "Intéressée si le prix baisse.",
    });
    expect(logged.headers.get("location")).toBe(
      `/staff/reconquete/${item.id}?fait=attempt&tentative=${attempt!.id}`,
    );
    expect(await itemRow(item.id)).toMatchObject({ status: "contacted", offerId: offer.id });

    // The page says when the email goes out: now inside the window, else at its next opening.
    const window = contactWindowState("any", attempt!.attemptedAt, PARIS);
    html = plain(await (await getPage(app.url(logged.headers.get("location")!), agent)).text());
    expect(html).toContain("Tentative enregistrée.");
    const [event] = await app
      .db()
      .select({ data: auditEvents.data })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.caseId, made.caseId), eq(auditEvents.type, "winback.contact_logged")),
      );
    expect(event?.data).toMatchObject({ channel: "email", outcome: "sent", offerCode: offer.code });
    if (window.open) {
      expect(html).toContain("L’e-mail part maintenant.");
      const mail = await app
        .smtp()
        .waitFor((message) => message.subject?.includes(made.caseReference) ?? false);
      expect(mail.text).toContain(offer.name);
      expect(mail.text).toContain("/contact/arret/");
    } else {
      expect(html).toContain(
        `L’e-mail partira le ${opening(window.nextOpening)}, à l’ouverture de la plage de l’abonné.`,
      );
      expect(event?.data).toMatchObject({ emailScheduledFor: window.nextOpening.toISOString() });
    }

    const won = await postForm(
      itemUrl(item.id),
      { intent: "outcome", finalOutcome: "won_back", acceptedOfferId: offer.id },
      { cookie: agent },
    );
    expect(won.status).toBe(303);
    expect(won.headers.get("location")).toBe(`/staff/reconquete/${item.id}?fait=won_back`);
    const closed = await itemRow(item.id);
    expect(closed).toMatchObject({ status: "won_back", closeReason: "outcome", offerId: offer.id });
    expect(closed.closedAt).toBeInstanceOf(Date);
    const [closedEvent] = await app
      .db()
      .select({ data: auditEvents.data, actorId: auditEvents.actorId })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, made.caseId), eq(auditEvents.type, "winback.closed")));
    expect(closedEvent?.data).toMatchObject({
      itemId: item.id,
      status: "won_back",
      closeReason: "outcome",
      offerCode: offer.code,
    });
    html = plain(await (await getPage(app.url(won.headers.get("location")!), agent)).text());
    expect(html).toContain("Issue enregistrée : abonné reconquis. L’élément est clôturé.");

    // Sent twice: the second finds it closed as asked, and nothing more is written.
    const again = await postForm(
      itemUrl(item.id),
      { intent: "outcome", finalOutcome: "won_back", acceptedOfferId: offer.id },
      { cookie: agent },
    );
    expect(again.status).toBe(303);
    expect(await auditCount(made.caseId, "winback.closed")).toBe(1);

    // The subscriber's own case page keeps the retention team's work out of their timeline:
    // every entry there has a label.
    const casePage = await (await getPage(app.url(`/dossier/${made.caseToken}`))).text();
    const timeline = casePage.slice(casePage.indexOf('id="timeline-title"'));
    const entries = timeline
      .slice(0, timeline.indexOf("</ol>"))
      .split("<li")
      .slice(1)
      .map((entry) => plain(entry.slice(entry.indexOf("</time>") + "</time>".length)));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry).toMatch(/\p{L}/u);

    // It left the open queue for the closed tab.
    const open = await (await getPage(app.url("/staff/reconquete"), agent)).text();
    expect(open).not.toContain(made.caseReference);
    const closedList = await (
      await getPage(app.url("/staff/reconquete?statut=closed"), agent)
    ).text();
    expect(rowWith(closedList, made.caseReference)).toContain("Reconquis");
  });

  it("lets one of two agents claiming at once win, and tells the other who holds the item", async () => {
    const { item, caseId } = await newItem({ channel: "email", window: "any" });
    const [first, second] = await Promise.all([
      postForm(itemUrl(item.id), { intent: "claim" }, { cookie: agent }),
      postForm(itemUrl(item.id), { intent: "claim" }, { cookie: agent2 }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([303, 409]);
    const loser = first.status === 409 ? first : second;
    const holder = await itemRow(item.id);
    const winnerName = first.status === 303 ? "Alice Agent" : "Julie Rétention";
    expect(plain(await loser.text())).toContain(`Déjà pris en charge par ${winnerName}.`);
    expect(holder.status).toBe("claimed");
    expect(await auditCount(caseId, "winback.claimed")).toBe(1);
  });

  it("refuses the third contact attempt with the policy's reason", async () => {
    const { item, caseId } = await newItem({ channel: "email", window: "any" });
    await claim(item.id);
    for (const seen of [0, 1]) {
      const response = await postForm(itemUrl(item.id), emailAttempt(seen), { cookie: agent });
      expect(response.status, `attempt ${seen + 1}`).toBe(303);
    }
    // Two emails that reached no one: the limit closes the item by itself.
    expect(await itemRow(item.id)).toMatchObject({
      status: "no_answer",
      closeReason: "attempt_limit",
    });
    const third = await postForm(itemUrl(item.id), emailAttempt(2), { cookie: agent });
    expect(third.status).toBe(409);
    expect(plain(await third.text())).toContain(
      "Au plus 2 tentatives de contact par élément : la limite est atteinte.",
    );
    expect(await attemptsOf(item.id)).toHaveLength(2);
    expect(await auditCount(caseId, "winback.contact_logged")).toBe(2);
  });

  it("logs one attempt when the same form is sent twice at once", async () => {
    const { item, caseId } = await newItem({ channel: "email", window: "any" });
    await claim(item.id);
    const responses = await Promise.all([
      postForm(itemUrl(item.id), emailAttempt(0), { cookie: agent }),
      postForm(itemUrl(item.id), emailAttempt(0), { cookie: agent }),
    ]);
    expect(responses.map((response) => response.status).sort()).toEqual([303, 409]);
    const refused = responses.find((response) => response.status === 409)!;
    expect(plain(await refused.text())).toContain(
      "Une tentative a été enregistrée depuis l’ouverture de la page",
    );
    expect(await attemptsOf(item.id)).toHaveLength(1);
    expect(await auditCount(caseId, "winback.contact_logged")).toBe(1);
  });

  it("refuses a call outside the subscriber's window and says when it opens", async () => {
    // The window that is closed now and opens the latest: never about to open during the test.
    const now = new Date();
    const [{ window, opensAt }] = (["morning", "afternoon", "evening"] as ContactWindow[])
      .flatMap((window) => {
        const state = contactWindowState(window, now, PARIS);
        return state.open ? [] : [{ window, opensAt: state.nextOpening }];
      })
      .sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime()) as [
      { window: ContactWindow; opensAt: Date },
    ];
    const { item } = await newItem({ channel: "phone", window });
    await claim(item.id);

    // The page explains instead of offering a form that would be refused.
    const page = plain(await (await getPage(itemUrl(item.id), agent)).text());
    const expected = `En dehors de la plage choisie par l’abonné : elle ouvre le ${opening(opensAt)}.`;
    expect(page).toContain(expected);

    const response = await postForm(
      itemUrl(item.id),
      {
        intent: "attempt",
        channel: "phone",
        outcome: "no_answer",
        offerId: "",
        note: "",
        attemptsSeen: "0",
      },
      { cookie: agent },
    );
    expect(response.status).toBe(409);
    expect(plain(await response.text())).toContain(expected);
    expect(await attemptsOf(item.id)).toHaveLength(0);

    // In English too.
    const english = await postForm(
      itemUrl(item.id),
      {
        intent: "attempt",
        channel: "phone",
        outcome: "no_answer",
        offerId: "",
        note: "",
        attemptsSeen: "0",
      },
      { cookie: `${agent}; lang=en` },
    );
    expect(plain(await english.text())).toContain(
      `Outside the subscriber’s window: it opens on ${opening(opensAt, "en-GB")}.`,
    );
  });
});

describe("asked not to be contacted", () => {
  it("closes every open item of the subscriber, behind a confirmation, and they leave the open queue", async () => {
    const first = await newItem({
      channel: "phone",
      window: "any",
      subscriberValues: { firstName: "Chloé", lastName: "Vasseur" },
    });
    const second = await newItem({
      channel: "email",
      window: "any",
      reason: "customer_service",
      subscriber: first.subscriber,
    });
    await claim(second.item.id, agent2);
    let queue = await (await getPage(app.url("/staff/reconquete"), agent)).text();
    expect(queue).toContain(first.caseReference);
    expect(queue).toContain(second.caseReference);

    // Step one: the confirmation, on its own address (works without JavaScript).
    const confirm = plain(
      await (await getPage(`${itemUrl(first.item.id)}?confirmer=ne-plus-contacter`, agent)).text(),
    );
    expect(confirm).toContain("Confirmation : Chloé Vasseur a demandé à ne plus être contacté(e).");
    // Without the confirmation nothing happens.
    const unconfirmed = await postForm(
      itemUrl(first.item.id),
      { intent: "suppress" },
      { cookie: agent },
    );
    expect(unconfirmed.status).toBe(400);
    expect(plain(await unconfirmed.text())).toContain(
      "Confirmez la demande de l’abonné pour l’enregistrer.",
    );
    expect((await itemRow(first.item.id)).status).toBe("new");

    const done = await postForm(
      itemUrl(first.item.id),
      { intent: "suppress", confirm: "yes" },
      { cookie: agent },
    );
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`/staff/reconquete/${first.item.id}?fait=suppressed`);
    for (const { item } of [first, second])
      expect(await itemRow(item.id)).toMatchObject({
        status: "do_not_contact",
        closeReason: "suppressed",
      });
    const [subscriber] = await app
      .db()
      .select()
      .from(subscribers)
      .where(eq(subscribers.id, first.subscriber.id));
    expect(subscriber?.marketingSuppressed).toBe(true);
    const [withdrawn] = await app
      .db()
      .select({ data: auditEvents.data })
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, first.caseId), eq(auditEvents.type, "consent.withdrawn")));
    expect(withdrawn?.data).toMatchObject({ subscriberId: first.subscriber.id, via: "agent" });

    queue = await (await getPage(app.url("/staff/reconquete"), agent)).text();
    expect(queue).not.toContain(first.caseReference);
    expect(queue).not.toContain(second.caseReference);
    const page = plain(await (await getPage(app.url(done.headers.get("location")!), agent)).text());
    expect(page).toContain("C’est noté : l’abonné ne sera plus contacté.");
    // Julie held the second item: it is closed for her too.
    const julie = await postForm(itemUrl(second.item.id), emailAttempt(0), { cookie: agent2 });
    expect(julie.status).toBe(409);
    expect(plain(await julie.text())).toContain(
      "Cet abonné a demandé à ne plus être contacté : plus aucune action de reconquête n’est possible.",
    );
  });
});

describe("roles and bad input", () => {
  it("refuses operations (403) and lets compliance read without acting", async () => {
    const { item } = await newItem({ channel: "email", window: "any" });
    expect((await getPage(app.url("/staff/reconquete"), ops)).status).toBe(403);
    expect((await getPage(itemUrl(item.id), ops)).status).toBe(403);
    expect((await postForm(itemUrl(item.id), { intent: "claim" }, { cookie: ops })).status).toBe(
      403,
    );

    const page = await getPage(itemUrl(item.id), compliance);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(plain(html)).toContain("Consultation seule");
    expect(html).not.toContain('name="intent" value="claim"');
    expect(
      (await postForm(itemUrl(item.id), { intent: "claim" }, { cookie: compliance })).status,
    ).toBe(403);
    expect((await itemRow(item.id)).claimedBy).toBeNull();
  });

  it("answers 404 for an item that does not exist", async () => {
    expect((await getPage(app.url("/staff/reconquete/not-a-uuid"), agent)).status).toBe(404);
    expect(
      (await getPage(app.url("/staff/reconquete/00000000-0000-4000-8000-000000000000"), agent))
        .status,
    ).toBe(404);
  });

  it("gives a translated error for bad input and changes nothing", async () => {
    const { item, caseId } = await newItem({ channel: "phone", window: "any" });
    await claim(item.id);
    const tooLong = "x".repeat(1001);
    const response = await postForm(
      itemUrl(item.id),
      {
        intent: "attempt",
        channel: "phone",
        outcome: "",
        offerId: "",
        note: tooLong,
        attemptsSeen: "0",
      },
      { cookie: agent },
    );
    expect(response.status).toBe(400);
    const html = plain(await response.text());
    expect(html).toContain("Choisissez le résultat de la tentative.");
    expect(html).toContain("La note ne peut pas dépasser 1 000 caractères.");

    const english = await postForm(
      itemUrl(item.id),
      { intent: "outcome", finalOutcome: "maybe", acceptedOfferId: "" },
      { cookie: `${agent}; lang=en` },
    );
    expect(english.status).toBe(400);
    expect(plain(await english.text())).toContain("Choose the outcome.");

    // An outcome that needs a contact first is refused with its reason.
    const early = await postForm(
      itemUrl(item.id),
      { intent: "outcome", finalOutcome: "declined", acceptedOfferId: "" },
      { cookie: agent },
    );
    expect(early.status).toBe(409);
    expect(plain(await early.text())).toContain("Enregistrez d’abord une tentative de contact");

    expect(await attemptsOf(item.id)).toHaveLength(0);
    expect(await itemRow(item.id)).toMatchObject({ status: "claimed", closedAt: null });
    expect(await auditCount(caseId, "winback.contact_logged")).toBe(0);
    expect(await auditCount(caseId, "winback.closed")).toBe(0);
  });
});

describe("the staff home", () => {
  it("shows the agent's numbers: to claim, theirs, past SLA", async () => {
    const db = app.db();
    const [me] = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.email, "agent@example.com"));
    const { item } = await newItem({ channel: "email", window: "any" });
    await claim(item.id);
    const open = and(
      inArray(winbackItems.status, ["new", "claimed", "contacted"]),
      eq(subscribers.marketingSuppressed, false),
    );
    const countWhere = async (where: ReturnType<typeof and>) => {
      const [row] = await db
        .select({ n: count() })
        .from(winbackItems)
        .innerJoin(subscribers, eq(subscribers.id, winbackItems.subscriberId))
        .where(and(open, where));
      return row!.n;
    };
    const unclaimed = await countWhere(
      and(eq(winbackItems.status, "new"), isNull(winbackItems.claimedBy)),
    );
    const mine = await countWhere(eq(winbackItems.claimedBy, me!.id));
    const overdue = await countWhere(
      and(sql`${winbackItems.slaDueAt} < now()`, isNull(winbackItems.firstContactAt)),
    );
    expect(mine).toBeGreaterThan(0);
    const html = plain(await (await getPage(app.url("/staff"), agent)).text());
    expect(html).toMatch(new RegExp(`${unclaimed} abonnés? à prendre en charge`));
    expect(html).toMatch(new RegExp(`${mine} éléments? que vous traitez`));
    expect(html).toMatch(new RegExp(`${overdue} premiers? contacts? en retard`));
    expect(html).toContain("Ouvrir la file de reconquête");
  });
});
