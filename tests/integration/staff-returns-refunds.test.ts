import { and, count, eq, sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays, addMonths, dateInZone } from "../../app/domain/dates";
import {
  auditEvents,
  equipmentReturns,
  operators,
  refunds,
  returnItems,
  type Equipment,
  type Operator,
  type Subscriber,
} from "../../db/schema";
import { insertCase, insertContract, insertEquipment, insertSubscriber } from "../factories/index";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";

// The back office's returns and refunds pages over HTTP against the real portal (production
// build, seeded Postgres, real SMTP): operations scan a parcel, receive a box then a damaged
// decoder with a photo, and pay the deposit back; other roles are refused; the overdue alarm.
const app = setupPortal("staff_returns_refunds");

// A 1×1 PNG: the photo of the damaged decoder.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

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

const sentTo = (message: ParsedMail, address: string) =>
  (Array.isArray(message.to) ? message.to : [message.to]).some(
    (to) => to?.value.some((entry) => entry.address === address) ?? false,
  );

let operator: Operator;
let ops: string;
let agent: string;
let compliance: string;

interface Scenario {
  subscriber: Subscriber;
  caseId: string;
  caseReference: string;
  returnId: string;
  returnNumber: string;
  box: Equipment;
  decoder: Equipment;
  refundId: string;
}

/** A subscriber with a box (49 € deposit) and a TV decoder (30 € deposit), notified today. */
async function notifiedCase(): Promise<Scenario> {
  const db = app.db();
  const today = dateInZone(new Date(), operator.timeZone);
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    offerName: "Fibre 1 Gb/s + TV",
    category: "bundle",
    startDate: addMonths(today, -30),
  });
  const box = await insertEquipment(db, {
    contractId: contract.id,
    kind: "box",
    mustReturn: true,
    depositCents: 4900,
    nonReturnChargeCents: 15000,
  });
  const decoder = await insertEquipment(db, {
    contractId: contract.id,
    kind: "tv_decoder",
    model: "Nébula TV 4K",
    mustReturn: true,
    depositCents: 3000,
    nonReturnChargeCents: 9000,
  });
  const { case: row } = await insertCase(db, {
    operatorId: operator.id,
    subscriber,
    contracts: [contract],
    receivedAt: new Date(),
    effectiveEndDate: addDays(today, 10),
  });
  const [ret] = await db.select().from(equipmentReturns).where(eq(equipmentReturns.caseId, row.id));
  const [deposit] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.caseId, row.id), eq(refunds.kind, "deposit")));
  if (!ret || !deposit) throw new Error("insertCase made no return or no deposit refund");
  expect(deposit).toMatchObject({ amountCents: 7900, status: "scheduled" });
  return {
    subscriber,
    caseId: row.id,
    caseReference: row.reference,
    returnId: ret.id,
    returnNumber: ret.returnNumber,
    box,
    decoder,
    refundId: deposit.id,
  };
}

function reception(
  items: { equipment: Equipment; condition: "ok" | "damaged" | "missing"; photo?: Buffer }[],
): FormData {
  const form = new FormData();
  form.set("intent", "receive");
  for (const item of items) {
    form.append("items", item.equipment.id);
    form.set(`condition-${item.equipment.id}`, item.condition);
    if (item.photo)
      form.set(
        `photo-${item.equipment.id}`,
        new Blob([new Uint8Array(item.photo)], { type: "image/png" }),
        "decoder.png",
      );
  }
  return form;
}

async function auditCount(caseId: string, type: string): Promise<number> {
  const [row] = await app
    .db()
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.caseId, caseId), eq(auditEvents.type, type)));
  return row?.n ?? 0;
}

beforeAll(async () => {
  const [nebula] = await app.db().select().from(operators).where(eq(operators.slug, "nebula"));
  if (!nebula) throw new Error("the seeded operator is missing");
  operator = nebula;
  ops = await signIn(app.url, "ops@example.com");
  agent = await signIn(app.url, "agent@example.com");
  compliance = await signIn(app.url, "compliance@example.com");
});

describe("operations receive a parcel and pay the deposit back", () => {
  let scenario: Scenario;
  beforeAll(async () => {
    scenario = await notifiedCase();
  });

  it("opens the reception page from a return number typed in lower case without dashes", async () => {
    const typed = scenario.returnNumber.toLowerCase().replace(/-/g, "");
    const response = await getPage(
      app.url(`/staff/retours?numero=${encodeURIComponent(typed)}`),
      ops,
    );
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get("location")!, app.url()).pathname).toBe(
      `/staff/retours/${scenario.returnNumber}`,
    );

    const page = await getPage(app.url(`/staff/retours/${scenario.returnNumber}`), ops);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(plain(/<h1>.*?<\/h1>/.exec(html)?.[0] ?? "").trim()).toBe(
      `Retour ${scenario.returnNumber}`,
    );
    expect(plain(html)).toContain(scenario.caseReference);
    expect(plain(html)).toContain(
      `${scenario.subscriber.firstName} ${scenario.subscriber.lastName}`,
    );
    // The reading is in the case's audit trail.
    expect(await auditCount(scenario.caseId, "case.viewed")).toBeGreaterThanOrEqual(1);
  });

  it("says so, keeping what was typed, when no return has that number", async () => {
    const response = await getPage(app.url("/staff/retours?numero=rt-zzzz-zzzz"), ops);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(plain(html)).toContain("Aucun retour ne porte le numéro « rt-zzzz-zzzz »");
    expect(html).toMatch(
      /id="numero"[^>]*value="rt-zzzz-zzzz"|value="rt-zzzz-zzzz"[^>]*id="numero"/,
    );
  });

  it("refuses a reception with nothing ticked, and changes nothing", async () => {
    const form = new FormData();
    form.set("intent", "receive");
    const response = await postForm(app.url(`/staff/retours/${scenario.returnNumber}`), form, {
      cookie: ops,
    });
    expect(response.status).toBe(400);
    expect(plain(await response.text())).toContain(
      "Cochez au moins un appareil reçu dans ce colis.",
    );
    expect(await auditCount(scenario.caseId, "return.items_received")).toBe(0);
  });

  it("receives the box alone: box received, decoder expected, return received in part, receipt emailed", async () => {
    const url = app.url(`/staff/retours/${scenario.returnNumber}`);
    const response = await postForm(
      url,
      reception([{ equipment: scenario.box, condition: "ok" }]),
      { cookie: ops },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/staff/retours/${scenario.returnNumber}?recu=1`);

    const html = await (await getPage(app.url(response.headers.get("location")!), ops)).text();
    expect(plain(html)).toContain("Réception enregistrée : un reçu détaillé est envoyé au client.");
    expect(rowWith(html, scenario.box.serial!)).toMatch(/Reçu le .* bon état/);
    expect(rowWith(html, scenario.decoder.serial!)).toContain("Attendu");
    expect(plain(html)).toContain("reçu en partie");

    const mail = await app
      .smtp()
      .waitFor(
        (message) =>
          sentTo(message, scenario.subscriber.email!) &&
          (message.subject?.includes(`Reçu de retour`) ?? false),
      );
    const text = plain(mail.text ?? "");
    expect(text).toContain(`Box internet Nébula Box 8 (${scenario.box.serial})`);
    expect(text).toContain(scenario.returnNumber);
  });

  it("receives the damaged decoder with a photo: all back, deposit due in 10 days on the refunds page", async () => {
    const url = app.url(`/staff/retours/${scenario.returnNumber}`);
    const response = await postForm(
      url,
      reception([{ equipment: scenario.decoder, condition: "damaged", photo: PNG }]),
      { cookie: ops },
    );
    expect(response.status).toBe(303);

    const html = await (await getPage(url, ops)).text();
    expect(plain(html)).toContain("tout reçu");
    const decoderRow = rowWith(html, scenario.decoder.serial!);
    expect(decoderRow).toMatch(/Reçu le .* endommagé/);
    expect(decoderRow).toContain("Télécharger la photo");
    const [item] = await app
      .db()
      .select()
      .from(returnItems)
      .where(
        and(
          eq(returnItems.returnId, scenario.returnId),
          eq(returnItems.equipmentId, scenario.decoder.id),
        ),
      );
    expect(item?.photoDocumentId).toBeTruthy();
    const photo = await getPage(
      app.url(`/staff/dossiers/${scenario.caseId}/documents/${item!.photoDocumentId}`),
      ops,
    );
    expect(photo.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await photo.arrayBuffer()).equals(PNG)).toBe(true);

    const today = dateInZone(new Date(), "Europe/Paris");
    const [deposit] = await app
      .db()
      .select()
      .from(refunds)
      .where(eq(refunds.id, scenario.refundId));
    expect(deposit).toMatchObject({
      status: "due",
      offsetCents: 0,
      clockStartedOn: today,
      legalDueDate: addDays(today, 10),
    });

    const list = await (await getPage(app.url("/staff/remboursements"), ops)).text();
    const row = rowWith(list, scenario.caseReference);
    expect(row).toContain("Dépôt de garantie");
    expect(row).toMatch(/79,00 €/);
    expect(row).toContain("Dans les temps");
    expect(row).toContain("dû");
  });

  it("refuses the agent's and the compliance officer's POSTs (403); compliance may read", async () => {
    const url = app.url(`/staff/retours/${scenario.returnNumber}`);
    const before = await auditCount(scenario.caseId, "return.carrier_event");
    for (const cookie of [agent, compliance]) {
      const post = await postForm(url, reception([{ equipment: scenario.box, condition: "ok" }]), {
        cookie,
      });
      expect(post.status).toBe(403);
      const event = await postForm(
        url,
        { intent: "carrier", kind: "delivered", occurredAt: "2026-01-01T10:00" },
        { cookie },
      );
      expect(event.status).toBe(403);
      const refund = await postForm(
        app.url(`/staff/remboursements/${scenario.refundId}`),
        { intent: "issue", paymentReference: "VIR-HACK", confirm: "on" },
        { cookie },
      );
      expect(refund.status).toBe(403);
    }
    expect(await auditCount(scenario.caseId, "return.carrier_event")).toBe(before);
    expect((await getPage(url, agent)).status).toBe(403);

    const page = await getPage(url, compliance);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toContain('name="intent" value="carrier"');
    const refundPage = await getPage(
      app.url(`/staff/remboursements/${scenario.refundId}`),
      compliance,
    );
    expect(refundPage.status).toBe(200);
    expect(await refundPage.text()).not.toContain('name="intent" value="issue"');
  });

  it("records a carrier event typed in Paris time", async () => {
    const url = app.url(`/staff/retours/${scenario.returnNumber}`);
    const response = await postForm(
      url,
      {
        intent: "carrier",
        kind: "delivered",
        occurredAt: "2026-01-15T09:30",
        carrier: "Colissimo",
        trackingNumber: "6A12345678901",
        location: "Entrepôt Saint-Denis",
      },
      { cookie: ops },
    );
    expect(response.status).toBe(303);
    const html = await (await getPage(url, ops)).text();
    const row = rowWith(html, "6A12345678901");
    expect(row).toContain("Livré à l’entrepôt");
    expect(row).toContain("09:30");
    expect(row).toContain("Saisi par l’équipe");

    const future = await postForm(
      url,
      { intent: "carrier", kind: "delivered", occurredAt: "2999-01-01T10:00" },
      { cookie: ops },
    );
    expect(future.status).toBe(400);
    expect(plain(await future.text())).toContain(
      "La date et l’heure ne peuvent pas être dans le futur.",
    );
  });

  it("refuses to mark the refund paid without a payment reference, and changes nothing", async () => {
    const before = await auditCount(scenario.caseId, "refund.updated");
    const response = await postForm(
      app.url(`/staff/remboursements/${scenario.refundId}`),
      { intent: "issue", paymentReference: "  ", confirm: "on" },
      { cookie: ops },
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(plain(html)).toContain("Indiquez la référence du paiement.");
    expect(html).toMatch(/aria-describedby="paymentReference-hint paymentReference-error"/);
    const [deposit] = await app
      .db()
      .select()
      .from(refunds)
      .where(eq(refunds.id, scenario.refundId));
    expect(deposit).toMatchObject({ status: "due", paymentReference: null, issuedAt: null });
    expect(await auditCount(scenario.caseId, "refund.updated")).toBe(before);
  });

  it("marks it paid with VIR-2026-123: stored, audited, and the subscriber emailed the amount", async () => {
    const response = await postForm(
      app.url(`/staff/remboursements/${scenario.refundId}`),
      { intent: "issue", paymentReference: "VIR-2026-123", confirm: "on" },
      { cookie: ops },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(
      `/staff/remboursements/${scenario.refundId}?fait=issued`,
    );
    const page = await (await getPage(app.url(response.headers.get("location")!), ops)).text();
    expect(plain(page)).toContain("Remboursement marqué versé : le client est prévenu par e-mail.");
    expect(plain(page)).toContain("VIR-2026-123");

    const [deposit] = await app
      .db()
      .select()
      .from(refunds)
      .where(eq(refunds.id, scenario.refundId));
    expect(deposit).toMatchObject({ status: "issued", paymentReference: "VIR-2026-123" });
    expect(deposit?.issuedAt).toBeInstanceOf(Date);

    const [event] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.caseId, scenario.caseId),
          eq(auditEvents.type, "refund.updated"),
          sql`${auditEvents.data}->>'status' = 'issued'`,
        ),
      );
    expect(event).toMatchObject({ actorType: "staff" });
    expect(event?.data).toMatchObject({ refundId: scenario.refundId, amountCents: 7900 });

    const mail = await app
      .smtp()
      .waitFor(
        (message) =>
          sentTo(message, scenario.subscriber.email!) &&
          (message.subject?.includes("Remboursement versé") ?? false),
      );
    expect(plain(mail.subject ?? "")).toMatch(/79,00 €/);
    expect(plain(mail.text ?? "")).toContain("VIR-2026-123");
  });
});

describe("the refunds list", () => {
  it("flags a refund whose legal due date has passed as overdue", async () => {
    const scenario = await notifiedCase();
    const today = dateInZone(new Date(), "Europe/Paris");
    // Test setup: a deposit that fell due three days ago and was never paid.
    await app
      .db()
      .update(refunds)
      .set({ status: "due", clockStartedOn: addDays(today, -13), legalDueDate: addDays(today, -3) })
      .where(eq(refunds.id, scenario.refundId));

    const html = await (await getPage(app.url("/staff/remboursements"), ops)).text();
    const row = rowWith(html, scenario.caseReference);
    expect(row).toContain("En retard de 3 j");
    expect(html).toMatch(/<span class="badge badge--danger">En retard de 3 j<\/span>/);
    expect(plain(html)).toMatch(/\d+ remboursements? en retard/);

    const english = await (await getPage(app.url("/staff/remboursements?lang=en"), ops)).text();
    expect(rowWith(english, scenario.caseReference)).toContain("3 days overdue");
  });
});

describe("a credit balance's legal clock and a hold", () => {
  it("starts the clock on the day the last invoice was paid, never a future day; holds and releases", async () => {
    const db = app.db();
    const today = dateInZone(new Date(), "Europe/Paris");
    const subscriber = await insertSubscriber(db, { operatorId: operator.id });
    const contract = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: subscriber.id,
      startDate: addMonths(today, -30),
      creditBalanceCents: 2500,
    });
    const { case: row } = await insertCase(db, {
      operatorId: operator.id,
      subscriber,
      contracts: [contract],
      receivedAt: new Date(),
      effectiveEndDate: addDays(today, 10),
    });
    const [credit] = await db
      .select()
      .from(refunds)
      .where(and(eq(refunds.caseId, row.id), eq(refunds.kind, "credit_balance")));
    expect(credit).toMatchObject({ status: "scheduled", amountCents: 2500, legalDueDate: null });
    const url = app.url(`/staff/remboursements/${credit!.id}`);
    expect(await (await getPage(url, ops)).text()).toContain(
      'name="intent" value="last_invoice_paid"',
    );

    const future = await postForm(
      url,
      { intent: "last_invoice_paid", paidOn: addDays(today, 1) },
      { cookie: ops },
    );
    expect(future.status).toBe(400);
    expect(plain(await future.text())).toContain("La date ne peut pas être dans le futur.");

    const paid = await postForm(
      url,
      { intent: "last_invoice_paid", paidOn: addDays(today, -2) },
      { cookie: ops },
    );
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toContain("?fait=clock_started");
    const [due] = await db.select().from(refunds).where(eq(refunds.id, credit!.id));
    expect(due).toMatchObject({
      status: "due",
      clockStartedOn: addDays(today, -2),
      legalDueDate: addDays(today, 8),
    });

    const noReason = await postForm(url, { intent: "withhold" }, { cookie: ops });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toMatch(/id="withholdReason-error"/);
    const held = await postForm(
      url,
      { intent: "withhold", withholdReason: "unpaid_invoice" },
      { cookie: ops },
    );
    expect(held.status).toBe(303);
    const heldPage = plain(await (await getPage(url, ops)).text());
    expect(heldPage).toContain("Facture impayée");
    expect(heldPage).toContain("Libérer");
    const released = await postForm(url, { intent: "release" }, { cookie: ops });
    expect(released.headers.get("location")).toContain("?fait=released");
    const [again] = await db.select().from(refunds).where(eq(refunds.id, credit!.id));
    expect(again).toMatchObject({
      status: "due",
      withheldReason: null,
      legalDueDate: addDays(today, 8),
    });
  });
});
