import { createHash, randomUUID } from "node:crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyAllStreams, verifyCaseChain } from "../../app/audit/verify-chain.server";
import { parseEnv, type Env } from "../../app/config/env.server";
import { createLogger } from "../../app/config/logger.server";
import { addDays } from "../../app/domain/dates";
import type { ItemCondition } from "../../app/domain/enums";
import { REFERENCE_ALPHABET } from "../../app/domain/reference";
import { createMailer, type Mailer } from "../../app/mail/mailer.server";
import type { EmailTemplateKind } from "../../app/mail/email-templates";
import { notifyCancellation } from "../../app/services/notify-cancellation.server";
import { checkReturnDeadlines } from "../../app/services/returns/check-return-deadlines.server";
import { ensureReturnLabel } from "../../app/services/returns/ensure-return-label.server";
import { receiveItems } from "../../app/services/returns/receive-items.server";
import { recordCarrierEvent } from "../../app/services/returns/record-carrier-event.server";
import {
  applyRefundAction,
  type RefundAction,
} from "../../app/services/returns/refund-actions.server";
import { sendEmail } from "../../app/services/send-email.server";
import { withdrawCancellation } from "../../app/services/withdraw-cancellation.server";
import {
  auditEvents,
  cancellationCases,
  documents,
  emailMessages,
  equipmentReturns,
  operators,
  refunds,
  returnItems,
  type Equipment,
} from "../../db/schema";
import {
  insertContract,
  insertEquipment,
  insertOperator,
  insertStaffUser,
  insertSubscriber,
} from "../factories";
import { startTestSmtp, type TestSmtp } from "../setup/smtp";
import { setupAppJobQueue, setupTestDatabase } from "../setup/test-db";

// Equipment returns and refunds at service level, on real Postgres, with the job queue (read, not
// worked: each email is sent with the job's own payload) and a real SMTP server. Camille Martin
// gives back a box (deposit 49 €, 150 € if kept) and a TV decoder (deposit 30 €, 90 € if kept).
const db = setupTestDatabase();
const jobs = setupAppJobQueue();
const logger = createLogger("silent");
const SECRET = "returns-and-refunds-test-secret-0123456789";
const APP_URL = "http://localhost:3000";

let smtp: TestSmtp;
let mailer: Mailer;
let env: Env;

beforeAll(async () => {
  smtp = await startTestSmtp();
  env = parseEnv({ SMTP_URL: smtp.url, SESSION_SECRET: SECRET, APP_URL, NODE_ENV: "test" });
  mailer = await createMailer(env, logger);
});
afterAll(async () => {
  await mailer.close();
  await smtp.close();
});
// Whatever a test did, every hash chain it wrote still verifies.
afterEach(async () => {
  const all = await verifyAllStreams(db);
  expect(all.broken).toEqual([]);
  expect(all.events).toBeGreaterThan(0);
});

// 00:30 on 24 November 2026 in Paris (still the 23rd in UTC): the contract ends on 4 December,
// and the equipment is due back 30 days later (the operator's setting), on 3 January 2027.
const NOTIFY_NOW = new Date("2026-11-23T23:30:00Z");
const END_DATE = "2026-12-04";
const DEADLINE = "2027-01-03";
const BOX_BACK = new Date("2026-12-10T09:00:00Z");
// 00:30 on 15 December in Paris, still the 14th in UTC: the deposit's clock starts on the 15th.
const DECODER_BACK = new Date("2026-12-14T23:30:00Z");
// 23:30 on the deadline in Paris: still on time. 00:30 the day after: charges apply.
const LAST_EVENING = new Date("2027-01-03T22:30:00Z");
const DAY_AFTER = new Date("2027-01-03T23:30:00Z");
const CHARGE_DAY = "2027-01-04";
const meta = { ip: "198.51.100.20", userAgent: "vitest returns" };
const RETURN_NUMBER = new RegExp(`^RT-[${REFERENCE_ALPHABET}]{4}-[${REFERENCE_ALPHABET}]{4}$`);

/** Text of an email with Intl's narrow and no-break spaces read as spaces. */
const plain = (text: string | undefined) => (text ?? "").replace(/[\u00a0\u202f]/g, " ");

async function staffActor() {
  const staff = await insertStaffUser(db, { passwordHash: "not-used", role: "operations" });
  return { type: "staff" as const, id: staff.id };
}

interface CamilleOptions {
  decoderChargeCents?: number;
  creditBalanceCents?: number;
  idempotencyKey?: string;
  /** A remote control to give back, announced with no non-return charge and no deposit. */
  withRemote?: boolean;
}

/** Camille Martin, her bundle with a box and a decoder, and her notice (the real notify path). */
async function notifiedCamille(options: CamilleOptions = {}) {
  const operator = await insertOperator(db);
  const subscriber = await insertSubscriber(db, {
    operatorId: operator.id,
    firstName: "Camille",
    lastName: "Martin",
    email: "camille.martin@example.com",
  });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    offerName: "Nébula Fibre + TV",
    category: "bundle",
    startDate: "2024-03-23",
    creditBalanceCents: options.creditBalanceCents ?? 0,
  });
  const box = await insertEquipment(db, {
    contractId: contract.id,
    kind: "box",
    model: "Nébula Box 8",
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
    nonReturnChargeCents: options.decoderChargeCents ?? 9000,
  });
  const remote = options.withRemote
    ? await insertEquipment(db, {
        contractId: contract.id,
        kind: "remote",
        model: "Nébula Remote",
        mustReturn: true,
        depositCents: 0,
        nonReturnChargeCents: 0,
      })
    : null;
  const result = await notifyCancellation(
    { db, jobs, secret: SECRET, now: () => NOTIFY_NOW },
    {
      subscriberId: subscriber.id,
      contractIds: [contract.id],
      acknowledgmentEmail: subscriber.email,
      endDate: { kind: "earliest" },
      legitimateReason: null,
      proof: null,
      idempotencyKey: options.idempotencyKey ?? `journey-${randomUUID()}`,
      language: "fr",
      identifiedAt: new Date(NOTIFY_NOW.getTime() - 120_000),
      summaryShownAt: new Date(NOTIFY_NOW.getTime() - 60_000),
      meta,
    },
  );
  if (result.kind !== "notified") throw new Error(`notify failed: ${result.kind}`);
  const equipmentReturn = await returnOf(result.caseId);
  return {
    operator,
    subscriber,
    contract,
    box,
    decoder,
    remote,
    caseId: result.caseId,
    reference: result.reference,
    returnId: equipmentReturn.id,
    returnNumber: equipmentReturn.returnNumber,
  };
}

async function returnOf(caseId: string) {
  const rows = await db.select().from(equipmentReturns).where(eq(equipmentReturns.caseId, caseId));
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

async function itemOf(returnId: string, item: Equipment) {
  const [row] = await db
    .select()
    .from(returnItems)
    .where(and(eq(returnItems.returnId, returnId), eq(returnItems.equipmentId, item.id)));
  return row!;
}

async function refundOf(caseId: string, kind: "deposit" | "credit_balance" = "deposit") {
  const [row] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.caseId, caseId), eq(refunds.kind, kind)));
  return row!;
}

async function eventsOf(caseId: string) {
  return db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.caseId, caseId))
    .orderBy(asc(auditEvents.seq));
}

async function eventCount(caseId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(eq(auditEvents.caseId, caseId));
  return row!.n;
}

async function jobsOf(caseId: string, name: string) {
  const rows = await db.execute<{ data: Record<string, string> }>(
    sql`select data from pgboss.job where name = ${name} and data->>'caseId' = ${caseId}
        order by created_on, id`,
  );
  return rows.map((row) => row.data);
}

/** Everything a refused or repeated operation must leave as it was. */
async function snapshot(caseId: string) {
  const equipmentReturn = await returnOf(caseId);
  return {
    events: await eventCount(caseId),
    equipmentReturn,
    items: await db
      .select()
      .from(returnItems)
      .where(eq(returnItems.returnId, equipmentReturn.id))
      .orderBy(asc(returnItems.id)),
    refunds: await db
      .select()
      .from(refunds)
      .where(eq(refunds.caseId, caseId))
      .orderBy(asc(refunds.kind)),
    jobs: await db.execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where data->>'caseId' = ${caseId}`,
    ),
  };
}

function receive(
  actor: { type: "staff"; id: string },
  returnId: string,
  items: [Equipment, ItemCondition][],
  now: Date,
) {
  return receiveItems(
    { db, jobs },
    {
      returnId,
      items: items.map(([item, condition]) => ({ equipmentId: item.id, condition, photo: null })),
      actor,
      meta,
      now,
    },
  );
}

function refundAction(
  refundId: string,
  action: RefundAction,
  actor: { type: "staff"; id: string },
  now: Date,
) {
  return applyRefundAction({ db, jobs }, { refundId, action, actor, meta, now });
}

/** Sends one email as its worker would, and returns its row and the message SMTP received. */
async function send(
  kind: EmailTemplateKind,
  caseId: string,
  key?: string,
): Promise<{ id: string; dedupeKey: string; mail: ParsedMail; text: string; subject: string }> {
  const outcome = await sendEmail(
    { db, mailer, env, logger },
    { kind, target: { caseId }, ...(key ? { key } : {}), retryCount: 0, retryLimit: 10 },
  );
  expect(outcome).toBe("sent");
  const [row] = await db
    .select()
    .from(emailMessages)
    .where(
      and(
        eq(emailMessages.caseId, caseId),
        eq(emailMessages.kind, kind as typeof emailMessages.$inferSelect.kind),
        eq(emailMessages.dedupeKey, key ?? ""),
      ),
    );
  expect(row).toMatchObject({
    status: "sent",
    attempts: 1,
    toAddress: "camille.martin@example.com",
  });
  const mail = await smtp.waitFor((message) => message.messageId === `<${row!.id}@localhost>`);
  return {
    id: row!.id,
    dedupeKey: row!.dedupeKey,
    mail,
    text: plain(mail.text),
    subject: plain(mail.subject),
  };
}

const check = (now: Date) => checkReturnDeadlines({ db, jobs, now });

const boxLine = (box: Equipment) => `Box internet Nébula Box 8 (${box.serial})`;
const decoderLine = (decoder: Equipment) => `Décodeur TV Nébula TV 4K (${decoder.serial})`;

describe("return plan at notification", () => {
  it("creates the return, its items at the announced charges, the deadline and the deposit", async () => {
    const camille = await notifiedCamille();
    const [operator] = await db
      .select()
      .from(operators)
      .where(eq(operators.id, camille.operator.id));
    const [caseRow] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, camille.caseId));
    expect(caseRow!.effectiveEndDate).toBe(END_DATE);

    const equipmentReturn = await returnOf(camille.caseId);
    expect(equipmentReturn.returnNumber).toMatch(RETURN_NUMBER);
    expect(equipmentReturn).toMatchObject({
      status: "awaiting_shipment",
      deadline: addDays(caseRow!.effectiveEndDate, operator!.returnDeadlineDays),
      method: null,
      receivedAt: null,
      chargedAt: null,
      createdAt: NOTIFY_NOW,
    });
    expect(equipmentReturn.deadline).toBe(DEADLINE);
    const items = await db
      .select()
      .from(returnItems)
      .where(eq(returnItems.returnId, equipmentReturn.id));
    expect(
      items
        .map(({ equipmentId, nonReturnChargeCents, chargeCents, receivedAt, condition }) => ({
          equipmentId,
          nonReturnChargeCents,
          chargeCents,
          receivedAt,
          condition,
        }))
        .sort((a, b) => a.nonReturnChargeCents - b.nonReturnChargeCents),
    ).toEqual([
      {
        equipmentId: camille.decoder.id,
        nonReturnChargeCents: 9000,
        chargeCents: 0,
        receivedAt: null,
        condition: null,
      },
      {
        equipmentId: camille.box.id,
        nonReturnChargeCents: 15000,
        chargeCents: 0,
        receivedAt: null,
        condition: null,
      },
    ]);

    const caseRefunds = await db.select().from(refunds).where(eq(refunds.caseId, camille.caseId));
    expect(caseRefunds).toHaveLength(1);
    expect(caseRefunds[0]).toMatchObject({
      kind: "deposit",
      amountCents: 7900,
      offsetCents: 0,
      currency: "EUR",
      status: "scheduled",
      legalDueDate: null,
      clockStartedOn: null,
    });

    const events = await eventsOf(camille.caseId);
    const created = events.find((event) => event.type === "return.created");
    expect(created?.data).toEqual({
      returnNumber: equipmentReturn.returnNumber,
      equipmentIds: expect.arrayContaining([camille.box.id, camille.decoder.id]),
      deadline: DEADLINE,
    });
    expect(created?.occurredAt).toEqual(NOTIFY_NOW);
    expect(events.filter((event) => event.type === "refund.updated").map((e) => e.data)).toEqual([
      {
        refundId: caseRefunds[0]!.id,
        kind: "deposit",
        status: "scheduled",
        amountCents: 7900,
      },
    ]);

    // The label is rendered by its job; the worker runs ensureReturnLabel with the job's case.
    const labelJobs = await jobsOf(camille.caseId, "return.render-label");
    expect(labelJobs).toEqual([{ caseId: camille.caseId }]);
    const label = await ensureReturnLabel(db, labelJobs[0]!.caseId!);
    expect(label).toMatchObject({ caseId: camille.caseId, kind: "return_label" });
    expect(label.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(label.sha256).toBe(createHash("sha256").update(label.bytes).digest("hex"));
    expect(label.sizeBytes).toBe(label.bytes.length);
    const documentEvents = (await eventsOf(camille.caseId)).filter(
      (event) => event.type === "document.created",
    );
    expect(documentEvents.map((event) => event.data)).toEqual([
      { documentId: label.id, kind: "return_label", sha256: label.sha256 },
    ]);
    // Rendered once: a second call (the first download) finds the stored document.
    expect((await ensureReturnLabel(db, camille.caseId)).id).toBe(label.id);
    const [labels] = await db
      .select({ n: count() })
      .from(documents)
      .where(and(eq(documents.caseId, camille.caseId), eq(documents.kind, "return_label")));
    expect(labels!.n).toBe(1);
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });
});

describe("reception at the warehouse", () => {
  it("receives the box, then the damaged decoder: statuses, the deposit's clock, one receipt per parcel", async () => {
    const camille = await notifiedCamille();
    const staff = await staffActor();

    const first = await receive(staff, camille.returnId, [[camille.box, "ok"]], BOX_BACK);
    expect(first).toMatchObject({ kind: "received", receivedCount: 1, status: "received" });
    if (first.kind !== "received") throw new Error("unreachable");
    expect(await returnOf(camille.caseId)).toMatchObject({
      status: "received",
      receivedAt: BOX_BACK,
    });
    expect(await itemOf(camille.returnId, camille.box)).toMatchObject({
      condition: "ok",
      receivedAt: BOX_BACK,
      receptionId: first.receptionId,
      chargeCents: 0,
    });
    expect(await itemOf(camille.returnId, camille.decoder)).toMatchObject({
      condition: null,
      receivedAt: null,
      receptionId: null,
    });
    expect(await refundOf(camille.caseId)).toMatchObject({
      status: "scheduled",
      legalDueDate: null,
      clockStartedOn: null,
      offsetCents: 0,
    });
    const firstJobs = await jobsOf(camille.caseId, "return.send-receipt");
    expect(firstJobs).toEqual([{ caseId: camille.caseId, receptionId: first.receptionId }]);

    // The same box scanned again: refused, nothing written.
    const before = await snapshot(camille.caseId);
    expect(await receive(staff, camille.returnId, [[camille.box, "ok"]], BOX_BACK)).toEqual({
      kind: "already_received",
      equipmentId: camille.box.id,
    });
    // …also when it comes with an item not yet back: the whole parcel is refused.
    expect(
      await receive(
        staff,
        camille.returnId,
        [
          [camille.decoder, "ok"],
          [camille.box, "damaged"],
        ],
        DECODER_BACK,
      ),
    ).toEqual({ kind: "already_received", equipmentId: camille.box.id });
    expect(await snapshot(camille.caseId)).toEqual(before);

    const firstReceipt = await send("return_receipt", camille.caseId, firstJobs[0]!.receptionId);
    expect(firstReceipt.dedupeKey).toBe(first.receptionId);
    expect(firstReceipt.subject).toContain(camille.returnNumber);
    expect(firstReceipt.text).toContain("Bonjour Camille Martin,");
    expect(firstReceipt.text).toContain(`– ${boxLine(camille.box)} : reçu en bon état`);
    expect(firstReceipt.text).not.toContain(`– ${decoderLine(camille.decoder)} :`);
    expect(firstReceipt.text).toContain(
      `Il vous reste à renvoyer : ${decoderLine(camille.decoder)}, au plus tard le 3 janvier 2027.`,
    );
    expect(firstReceipt.text).toContain(
      "Votre dépôt de garantie (79,00 €) vous sera remboursé dans les 10 jours suivant le retour du dernier appareil.",
    );

    const second = await receive(
      staff,
      camille.returnId,
      [[camille.decoder, "damaged"]],
      DECODER_BACK,
    );
    expect(second).toMatchObject({ kind: "received", receivedCount: 1, status: "inspected" });
    if (second.kind !== "received") throw new Error("unreachable");
    expect(second.receptionId).not.toBe(first.receptionId);
    expect(await returnOf(camille.caseId)).toMatchObject({
      status: "inspected",
      receivedAt: BOX_BACK,
    });
    expect(await itemOf(camille.returnId, camille.decoder)).toMatchObject({
      condition: "damaged",
      receivedAt: DECODER_BACK,
      receptionId: second.receptionId,
    });
    // L224-35: ≤ 10 days after the equipment is back, counted from the Paris date of the last item.
    const deposit = await refundOf(camille.caseId);
    expect(deposit).toMatchObject({
      status: "due",
      amountCents: 7900,
      offsetCents: 0,
      clockStartedOn: "2026-12-15",
      legalDueDate: "2026-12-25",
      withheldReason: null,
    });
    const events = await eventsOf(camille.caseId);
    expect(events.filter((event) => event.type === "return.items_received")).toHaveLength(2);
    expect(events.filter((event) => event.type === "return.updated").map((e) => e.data)).toEqual([
      { returnNumber: camille.returnNumber, status: "received", method: null },
      { returnNumber: camille.returnNumber, status: "inspected", method: null },
    ]);
    // The deposit's update is part of the reception: same time in the trail and on the row.
    expect(events.at(-1)).toMatchObject({ type: "refund.updated", occurredAt: DECODER_BACK });
    expect(deposit.updatedAt).toEqual(DECODER_BACK);
    expect(events.filter((event) => event.type === "refund.updated").at(-1)?.data).toEqual({
      refundId: deposit.id,
      kind: "deposit",
      status: "due",
      amountCents: 7900,
      offsetCents: 0,
      legalDueDate: "2026-12-25",
    });

    const receiptJobs = await jobsOf(camille.caseId, "return.send-receipt");
    expect(receiptJobs).toEqual([
      { caseId: camille.caseId, receptionId: first.receptionId },
      { caseId: camille.caseId, receptionId: second.receptionId },
    ]);
    const secondReceipt = await send("return_receipt", camille.caseId, receiptJobs[1]!.receptionId);
    expect(secondReceipt.id).not.toBe(firstReceipt.id);
    expect(secondReceipt.dedupeKey).toBe(second.receptionId);
    expect(secondReceipt.text).toContain("15 décembre 2026");
    expect(secondReceipt.text).toContain(`– ${decoderLine(camille.decoder)} : reçu endommagé`);
    expect(secondReceipt.text).not.toContain(boxLine(camille.box));
    expect(secondReceipt.text).toContain("Vous avez rendu tout le matériel demandé. Merci.");
    expect(secondReceipt.text).toContain(
      "Votre dépôt de garantie vous sera remboursé (79,00 €) au plus tard le 25 décembre 2026.",
    );
    // A job retried after delivery sends nothing more.
    const delivered = smtp.messages.length;
    expect(
      await sendEmail(
        { db, mailer, env, logger },
        {
          kind: "return_receipt",
          target: { caseId: camille.caseId },
          key: second.receptionId,
          retryCount: 1,
          retryLimit: 10,
        },
      ),
    ).toBe("already_sent");
    expect(smtp.messages.length).toBe(delivered);

    // Once everything is back the return takes no more receptions.
    const closed = await snapshot(camille.caseId);
    expect(await receive(staff, camille.returnId, [[camille.decoder, "ok"]], DECODER_BACK)).toEqual(
      {
        kind: "return_closed",
        status: "inspected",
      },
    );
    expect(await snapshot(camille.caseId)).toEqual(closed);
    expect(await check(DAY_AFTER)).toEqual({ reminders: 0, charged: 0 });
    expect(await snapshot(camille.caseId)).toEqual(closed);
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });
});

describe("return deadline", () => {
  it("reminds 7 days and 1 day before, then charges the missing decoder once against the deposit", async () => {
    const camille = await notifiedCamille();
    const staff = await staffActor();
    await receive(staff, camille.returnId, [[camille.box, "ok"]], BOX_BACK);
    const reminders = () => jobsOf(camille.caseId, "return.send-reminder");

    // 8 days left: nothing yet.
    expect(await check(new Date("2026-12-26T09:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect(await reminders()).toEqual([]);

    // 7 days left: the 7-day reminder, once its email exists.
    expect(await check(new Date("2026-12-27T09:00:00Z"))).toEqual({ reminders: 1, charged: 0 });
    expect(await reminders()).toEqual([{ caseId: camille.caseId, key: "7d" }]);
    const sevenDays = await send("return_reminder", camille.caseId, (await reminders())[0]!.key);
    expect(sevenDays.subject).toContain("au plus tard le 3 janvier 2027");
    expect(sevenDays.text).toContain("au plus tard le 3 janvier 2027, dans 7 jours :");
    expect(sevenDays.text).toContain(`– ${decoderLine(camille.decoder)}`);
    expect(sevenDays.text).not.toContain(boxLine(camille.box));
    expect(sevenDays.text).toContain("90,00 € au total");
    expect(await check(new Date("2026-12-27T15:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect(await check(new Date("2027-01-01T09:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect(await reminders()).toHaveLength(1);

    // The last day before the deadline: the 1-day reminder.
    expect(await check(new Date("2027-01-02T09:00:00Z"))).toEqual({ reminders: 1, charged: 0 });
    expect((await reminders()).map((job) => job.key)).toEqual(["7d", "1d"]);
    const oneDay = await send("return_reminder", camille.caseId, "1d");
    expect(oneDay.id).not.toBe(sevenDays.id);
    expect(oneDay.text).toContain("au plus tard le 3 janvier 2027, c’est-à-dire demain :");
    expect(await check(new Date("2027-01-02T20:00:00Z"))).toEqual({ reminders: 0, charged: 0 });

    // The deadline itself, late in the evening in Paris: still nothing charged.
    const onTime = await snapshot(camille.caseId);
    expect(await check(LAST_EVENING)).toEqual({ reminders: 0, charged: 0 });
    expect(await snapshot(camille.caseId)).toEqual(onTime);

    // Half an hour later it is 4 January in Paris: the decoder is charged, at the announced amount.
    expect(await check(DAY_AFTER)).toEqual({ reminders: 0, charged: 1 });
    expect(await itemOf(camille.returnId, camille.decoder)).toMatchObject({
      chargeCents: 9000,
      nonReturnChargeCents: 9000,
      receivedAt: null,
    });
    expect(await itemOf(camille.returnId, camille.box)).toMatchObject({ chargeCents: 0 });
    expect(await returnOf(camille.caseId)).toMatchObject({
      status: "charged",
      chargedAt: DAY_AFTER,
    });
    // The deposit (79 €) covers 79 € of the 90 €: nothing left to refund, 11 € invoiced apart.
    const deposit = await refundOf(camille.caseId);
    expect(deposit).toMatchObject({
      status: "withheld",
      withheldReason: "equipment_charged",
      offsetCents: 7900,
      legalDueDate: null,
      clockStartedOn: CHARGE_DAY,
    });
    const events = await eventsOf(camille.caseId);
    const chargeEvents = events.slice(onTime.events);
    expect(chargeEvents.map((event) => [event.type, event.actorType])).toEqual([
      ["return.updated", "system"],
      ["return.updated", "system"],
      ["return.charged", "system"],
      ["refund.updated", "system"],
    ]);
    expect(chargeEvents.map((event) => event.data)).toEqual([
      { returnNumber: camille.returnNumber, status: "overdue", method: null },
      { returnNumber: camille.returnNumber, status: "charged", method: null },
      { returnNumber: camille.returnNumber, equipmentIds: [camille.decoder.id], chargeCents: 9000 },
      {
        refundId: deposit.id,
        kind: "deposit",
        status: "withheld",
        amountCents: 7900,
        offsetCents: 7900,
        reasonCode: "equipment_charged",
      },
    ]);
    for (const event of chargeEvents) expect(event.occurredAt).toEqual(DAY_AFTER);
    expect(deposit.updatedAt).toEqual(DAY_AFTER);
    expect(await jobsOf(camille.caseId, "return.send-charged")).toEqual([
      { caseId: camille.caseId },
    ]);

    // Charged exactly once: the same hour, the next day, weeks later.
    const charged = await snapshot(camille.caseId);
    for (const later of [
      DAY_AFTER,
      new Date("2027-01-04T10:00:00Z"),
      new Date("2027-01-05T09:00:00Z"),
      new Date("2027-02-15T09:00:00Z"),
    ])
      expect(await check(later)).toEqual({ reminders: 0, charged: 0 });
    expect(await snapshot(camille.caseId)).toEqual(charged);

    const chargedEmail = await send("return_charged", camille.caseId);
    expect(chargedEmail.subject).toBe(
      `Frais de non-restitution : 90,00 € (${camille.returnNumber})`,
    );
    expect(chargedEmail.text).toContain("La date limite de retour du 3 janvier 2027 est passée");
    expect(chargedEmail.text).toContain(`– ${decoderLine(camille.decoder)} : 90,00 €`);
    expect(chargedEmail.text).not.toContain(boxLine(camille.box));
    expect(chargedEmail.text).toContain(
      [
        "Dépôt de garantie : 79,00 €.",
        "Frais de non-restitution déduits : −79,00 €.",
        "Montant remboursé : 0,00 €.",
        "Reste à payer, facturé séparément par Nébula Télécom : 11,00 €.",
      ].join("\n"),
    );

    // A withheld deposit is not paid.
    const mailed = await snapshot(camille.caseId);
    expect(
      await refundAction(
        deposit.id,
        { kind: "issue", paymentReference: "VIR-1" },
        staff,
        DAY_AFTER,
      ),
    ).toEqual({
      kind: "refused",
      from: "withheld",
    });
    expect(await snapshot(camille.caseId)).toEqual(mailed);
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });

  it("offsets a charge smaller than the deposit and refunds the rest within 10 days of the charge", async () => {
    const camille = await notifiedCamille({ decoderChargeCents: 3000 });
    const staff = await staffActor();
    await receive(staff, camille.returnId, [[camille.box, "ok"]], BOX_BACK);
    expect(await check(DAY_AFTER)).toEqual({ reminders: 0, charged: 1 });
    expect(await itemOf(camille.returnId, camille.decoder)).toMatchObject({ chargeCents: 3000 });
    const deposit = await refundOf(camille.caseId);
    expect(deposit).toMatchObject({
      status: "due",
      amountCents: 7900,
      offsetCents: 3000,
      clockStartedOn: CHARGE_DAY,
      legalDueDate: addDays(CHARGE_DAY, 10),
      withheldReason: null,
    });
    expect(deposit.legalDueDate).toBe("2027-01-14");
    const done = await snapshot(camille.caseId);
    expect(await check(new Date("2027-01-06T09:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect(await snapshot(camille.caseId)).toEqual(done);

    const chargedEmail = await send("return_charged", camille.caseId);
    expect(chargedEmail.text).toContain(`– ${decoderLine(camille.decoder)} : 30,00 €`);
    expect(chargedEmail.text).toContain(
      [
        "Dépôt de garantie : 79,00 €.",
        "Frais de non-restitution déduits : −30,00 €.",
        "Montant remboursé : 49,00 €.",
      ].join("\n"),
    );
    expect(chargedEmail.text).not.toContain("Reste à payer");

    // Paid: the amount net of the charge.
    const issuedAt = new Date("2027-01-08T10:00:00Z");
    const issued = await refundAction(
      deposit.id,
      { kind: "issue", paymentReference: "VIR-2027-0042" },
      staff,
      issuedAt,
    );
    expect(issued).toMatchObject({
      kind: "done",
      refund: { status: "issued", issuedAt, paymentReference: "VIR-2027-0042", offsetCents: 3000 },
    });
    const issuedJobs = await jobsOf(camille.caseId, "refund.send-issued");
    expect(issuedJobs).toEqual([{ caseId: camille.caseId, refundId: deposit.id }]);
    const email = await send("refund_issued", camille.caseId, issuedJobs[0]!.refundId);
    expect(email.subject).toBe(`Remboursement versé : 49,00 € (${camille.reference})`);
    expect(email.text).toContain("Nous vous avons remboursé 49,00 € le 8 janvier 2027");
    expect(email.text).toContain("Référence du paiement : VIR-2027-0042.");
    expect(email.text).toContain("Frais de non-restitution déduits : −30,00 €.");
    expect(email.text).toContain("Montant remboursé : 49,00 €.");
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });

  it("does not charge a parcel handed to the carrier by the deadline, but does after it", async () => {
    const staff = await staffActor();
    const carrier = (returnNumber: string, occurredAt: Date, externalId: string) =>
      recordCarrierEvent(
        db,
        {
          returnNumber: returnNumber.toLowerCase().replace(/-/g, " "),
          kind: "handed_in",
          occurredAt,
          carrier: "Colissimo",
          trackingNumber: `6A${externalId}`,
          location: "Relais Paris 11",
          externalId,
          source: "api",
        },
        { type: "integration", id: "carrier-test" },
        meta,
      );

    // On time: handed in at 18:00 in Paris on the deadline, after the box came back.
    const onTime = await notifiedCamille();
    await receive(staff, onTime.returnId, [[onTime.box, "ok"]], BOX_BACK);
    expect(await carrier(onTime.returnNumber, new Date("2027-01-03T17:00:00Z"), "1001")).toEqual({
      kind: "recorded",
      carrierEventId: expect.any(String),
      returnNumber: onTime.returnNumber,
      status: "received",
    });
    // Late: the decoder's parcel was handed in the day after (an earlier event, before the box's
    // reception, was the box's own parcel).
    const late = await notifiedCamille();
    await receive(staff, late.returnId, [[late.box, "ok"]], BOX_BACK);
    expect(
      await carrier(late.returnNumber, new Date("2026-12-05T10:00:00Z"), "2001"),
    ).toMatchObject({
      kind: "recorded",
    });
    expect(
      await carrier(late.returnNumber, new Date("2027-01-04T08:00:00Z"), "2002"),
    ).toMatchObject({
      kind: "recorded",
    });
    const waiting = await snapshot(onTime.caseId);

    expect(await check(DAY_AFTER)).toEqual({ reminders: 0, charged: 1 });
    expect(await check(new Date("2027-01-20T09:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect(await snapshot(onTime.caseId)).toEqual(waiting);
    expect(await itemOf(onTime.returnId, onTime.decoder)).toMatchObject({ chargeCents: 0 });
    expect(await refundOf(onTime.caseId)).toMatchObject({ status: "scheduled", offsetCents: 0 });

    expect(await returnOf(late.caseId)).toMatchObject({ status: "charged", chargedAt: DAY_AFTER });
    expect(await itemOf(late.returnId, late.decoder)).toMatchObject({ chargeCents: 9000 });
    expect(await verifyCaseChain(db, onTime.caseId)).toMatchObject({ ok: true });
    expect(await verifyCaseChain(db, late.caseId)).toMatchObject({ ok: true });
  });

  it("lifts the charge of an item that comes back late and recomputes the deposit", async () => {
    const staff = await staffActor();
    const lateBack = new Date("2027-01-08T10:00:00Z");

    // Charges above the deposit (withheld) …
    const withheld = await notifiedCamille();
    await receive(staff, withheld.returnId, [[withheld.box, "ok"]], BOX_BACK);
    // … and below it (due, with an offset).
    const offset = await notifiedCamille({ decoderChargeCents: 3000 });
    await receive(staff, offset.returnId, [[offset.box, "ok"]], BOX_BACK);
    expect(await check(DAY_AFTER)).toEqual({ reminders: 0, charged: 2 });
    expect(await refundOf(withheld.caseId)).toMatchObject({
      status: "withheld",
      offsetCents: 7900,
    });
    expect(await refundOf(offset.caseId)).toMatchObject({ status: "due", offsetCents: 3000 });

    for (const camille of [withheld, offset]) {
      const result = await receive(staff, camille.returnId, [[camille.decoder, "ok"]], lateBack);
      expect(result).toMatchObject({ kind: "received", receivedCount: 1, status: "inspected" });
      expect(await itemOf(camille.returnId, camille.decoder)).toMatchObject({
        chargeCents: 0,
        receivedAt: lateBack,
        condition: "ok",
      });
      expect(await returnOf(camille.caseId)).toMatchObject({ status: "inspected" });
      const deposit = await refundOf(camille.caseId);
      expect(deposit).toMatchObject({
        status: "due",
        offsetCents: 0,
        withheldReason: null,
        clockStartedOn: "2027-01-08",
        legalDueDate: "2027-01-18",
      });
      const events = await eventsOf(camille.caseId);
      expect(events.at(-1)?.data).toEqual({
        refundId: deposit.id,
        kind: "deposit",
        status: "due",
        amountCents: 7900,
        offsetCents: 0,
        legalDueDate: "2027-01-18",
      });
      const receipts = await jobsOf(camille.caseId, "return.send-receipt");
      expect(receipts).toHaveLength(2);
      const receipt = await send("return_receipt", camille.caseId, receipts[1]!.receptionId);
      expect(receipt.text).toContain(`– ${decoderLine(camille.decoder)} : reçu en bon état`);
      expect(receipt.text).toContain("Vous avez rendu tout le matériel demandé. Merci.");
      expect(receipt.text).toContain(
        "Votre dépôt de garantie vous sera remboursé (79,00 €) au plus tard le 18 janvier 2027.",
      );
      expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
    }
    const settled = [await snapshot(withheld.caseId), await snapshot(offset.caseId)];
    expect(await check(new Date("2027-01-09T09:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect([await snapshot(withheld.caseId), await snapshot(offset.caseId)]).toEqual(settled);
  });

  it("does not hold the deposit back for an item announced with no charge that never comes back", async () => {
    const camille = await notifiedCamille({ withRemote: true });
    const staff = await staffActor();
    await receive(
      staff,
      camille.returnId,
      [
        [camille.box, "ok"],
        [camille.decoder, "ok"],
      ],
      BOX_BACK,
    );
    // The remote is still expected: the deposit waits.
    expect(await returnOf(camille.caseId)).toMatchObject({ status: "received" });
    expect(await refundOf(camille.caseId)).toMatchObject({
      status: "scheduled",
      legalDueDate: null,
    });

    expect(await check(DAY_AFTER)).toEqual({ reminders: 0, charged: 1 });
    expect(await itemOf(camille.returnId, camille.remote!)).toMatchObject({
      chargeCents: 0,
      receivedAt: null,
    });
    // Nothing was charged: the whole deposit is owed, 10 days from the day the deadline passed.
    expect(await refundOf(camille.caseId)).toMatchObject({
      status: "due",
      offsetCents: 0,
      clockStartedOn: CHARGE_DAY,
      legalDueDate: "2027-01-14",
    });
    // …and no "non-return charge" email for a charge of nothing.
    expect(await jobsOf(camille.caseId, "return.send-charged")).toEqual([]);
    const once = await snapshot(camille.caseId);
    expect(await check(new Date("2027-01-05T09:00:00Z"))).toEqual({ reminders: 0, charged: 0 });
    expect(await snapshot(camille.caseId)).toEqual(once);
  });
});

describe("refund actions", () => {
  it("pays only what is due, once, and starts a credit balance's clock on the last invoice", async () => {
    const camille = await notifiedCamille({ creditBalanceCents: 2500 });
    const staff = await staffActor();
    const now = new Date("2026-12-21T10:00:00Z");
    const deposit = await refundOf(camille.caseId);
    const credit = await refundOf(camille.caseId, "credit_balance");
    expect(credit).toMatchObject({ status: "scheduled", amountCents: 2500, legalDueDate: null });

    // Nothing is paid, released or clocked before its time.
    const untouched = await snapshot(camille.caseId);
    for (const [refundId, action] of [
      [deposit.id, { kind: "issue", paymentReference: "VIR-0" }],
      [deposit.id, { kind: "last_invoice_paid", paidOn: "2026-12-20" }],
      [deposit.id, { kind: "release" }],
      [credit.id, { kind: "issue", paymentReference: "VIR-0" }],
      [credit.id, { kind: "fail", reason: "bank_rejected" }],
    ] as [string, RefundAction][])
      expect(await refundAction(refundId, action, staff, now)).toEqual({
        kind: "refused",
        from: "scheduled",
      });
    expect(await refundAction(randomUUID(), { kind: "release" }, staff, now)).toEqual({
      kind: "not_found",
    });
    expect(await snapshot(camille.caseId)).toEqual(untouched);

    // The last invoice was paid on 20 December: due 10 days later.
    const clocked = await refundAction(
      credit.id,
      { kind: "last_invoice_paid", paidOn: "2026-12-20" },
      staff,
      now,
    );
    expect(clocked).toMatchObject({
      kind: "done",
      refund: { status: "due", clockStartedOn: "2026-12-20", legalDueDate: "2026-12-30" },
    });
    expect((await eventsOf(camille.caseId)).at(-1)).toMatchObject({
      type: "refund.updated",
      actorType: "staff",
      actorId: staff.id,
      occurredAt: now,
      data: {
        refundId: credit.id,
        kind: "credit_balance",
        status: "due",
        amountCents: 2500,
        offsetCents: 0,
        legalDueDate: "2026-12-30",
        reasonCode: "last_invoice_paid",
      },
    });
    expect(
      await refundAction(
        credit.id,
        { kind: "last_invoice_paid", paidOn: "2026-12-21" },
        staff,
        now,
      ),
    ).toEqual({ kind: "refused", from: "due" });

    // A payment the bank rejected, then paid again.
    const failedAt = new Date("2026-12-22T10:00:00Z");
    expect(
      await refundAction(credit.id, { kind: "fail", reason: "bank_rejected" }, staff, failedAt),
    ).toMatchObject({ kind: "done", refund: { status: "failed", failureReason: "bank_rejected" } });
    expect(await jobsOf(camille.caseId, "refund.send-issued")).toEqual([]);
    const paidAt = new Date("2026-12-23T10:00:00Z");
    expect(
      await refundAction(
        credit.id,
        { kind: "issue", paymentReference: "VIR-2026-0007" },
        staff,
        paidAt,
      ),
    ).toMatchObject({
      kind: "done",
      refund: {
        status: "issued",
        issuedAt: paidAt,
        paymentReference: "VIR-2026-0007",
        failureReason: null,
        legalDueDate: "2026-12-30",
      },
    });
    expect(await jobsOf(camille.caseId, "refund.send-issued")).toEqual([
      { caseId: camille.caseId, refundId: credit.id },
    ]);
    const paid = await snapshot(camille.caseId);
    for (const action of [
      { kind: "issue", paymentReference: "VIR-2026-0008" },
      { kind: "fail", reason: "other" },
      { kind: "withhold", reason: "fraud_check" },
    ] as RefundAction[])
      expect(await refundAction(credit.id, action, staff, paidAt)).toEqual({
        kind: "refused",
        from: "issued",
      });
    expect(await snapshot(camille.caseId)).toEqual(paid);
    const creditEmail = await send("refund_issued", camille.caseId, credit.id);
    expect(creditEmail.text).toContain("Nous vous avons remboursé 25,00 € le 23 décembre 2026");
    expect(creditEmail.text).toContain("Montant versé : 25,00 €.");

    // Everything back: the deposit is due in full and paid.
    await receive(
      staff,
      camille.returnId,
      [
        [camille.box, "ok"],
        [camille.decoder, "ok"],
      ],
      BOX_BACK,
    );
    expect(await refundOf(camille.caseId)).toMatchObject({
      status: "due",
      offsetCents: 0,
      legalDueDate: "2026-12-20",
    });
    const depositPaidAt = new Date("2026-12-18T10:00:00Z");
    expect(
      await refundAction(
        deposit.id,
        { kind: "issue", paymentReference: "VIR-2026-0009" },
        staff,
        depositPaidAt,
      ),
    ).toMatchObject({ kind: "done", refund: { status: "issued", issuedAt: depositPaidAt } });
    expect(
      await refundAction(
        deposit.id,
        { kind: "issue", paymentReference: "VIR-2026-0010" },
        staff,
        depositPaidAt,
      ),
    ).toEqual({ kind: "refused", from: "issued" });
    const depositEmail = await send("refund_issued", camille.caseId, deposit.id);
    expect(depositEmail.id).not.toBe(creditEmail.id);
    expect(depositEmail.subject).toBe(`Remboursement versé : 79,00 € (${camille.reference})`);
    expect(depositEmail.text).toContain("Nous vous avons remboursé 79,00 € le 18 décembre 2026");
    expect(depositEmail.text).toContain("Montant versé : 79,00 €.");
    expect(await jobsOf(camille.caseId, "refund.send-issued")).toHaveLength(2);
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });
});

describe("deposit held back by operations", () => {
  it("keeps its hold while the equipment comes back, and once released is due by the legal date", async () => {
    const camille = await notifiedCamille();
    const staff = await staffActor();
    const deposit = await refundOf(camille.caseId);
    expect(
      await refundAction(
        deposit.id,
        { kind: "withhold", reason: "unpaid_invoice" },
        staff,
        new Date("2026-12-01T10:00:00Z"),
      ),
    ).toMatchObject({
      kind: "done",
      refund: { status: "withheld", withheldReason: "unpaid_invoice" },
    });

    await receive(staff, camille.returnId, [[camille.box, "ok"]], BOX_BACK);
    await receive(staff, camille.returnId, [[camille.decoder, "ok"]], DECODER_BACK);
    expect(await returnOf(camille.caseId)).toMatchObject({ status: "inspected" });
    // Held for another reason than the charges: the reception does not release it.
    expect(await refundOf(camille.caseId)).toMatchObject({
      status: "withheld",
      withheldReason: "unpaid_invoice",
      legalDueDate: null,
    });

    const releasedAt = new Date("2026-12-18T10:00:00Z");
    const released = await refundAction(deposit.id, { kind: "release" }, staff, releasedAt);
    // The legal clock ran from the day the last item came back (L224-35), hold or not.
    expect(released).toMatchObject({
      kind: "done",
      refund: {
        status: "due",
        withheldReason: null,
        clockStartedOn: "2026-12-15",
        legalDueDate: "2026-12-25",
      },
    });
    expect(await refundOf(camille.caseId)).toMatchObject({
      status: "due",
      withheldReason: null,
      offsetCents: 0,
      clockStartedOn: "2026-12-15",
      legalDueDate: "2026-12-25",
    });
    expect(await refundAction(deposit.id, { kind: "release" }, staff, releasedAt)).toEqual({
      kind: "refused",
      from: "due",
    });
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });
});

describe("withdrawal", () => {
  it("cancels the return and the refunds not yet paid; nothing is reminded or charged after", async () => {
    const camille = await notifiedCamille({ creditBalanceCents: 2500 });
    const staff = await staffActor();
    const withdrawnAt = new Date("2026-11-28T10:00:00Z");
    const before = await eventCount(camille.caseId);
    expect(
      await withdrawCancellation(
        { db, jobs, now: () => withdrawnAt },
        { caseId: camille.caseId, meta },
      ),
    ).toEqual({ kind: "withdrawn", reference: camille.reference });
    expect(await returnOf(camille.caseId)).toMatchObject({ status: "cancelled" });
    const caseRefunds = await db
      .select()
      .from(refunds)
      .where(eq(refunds.caseId, camille.caseId))
      .orderBy(asc(refunds.kind));
    expect(caseRefunds.map((refund) => [refund.kind, refund.status])).toEqual([
      ["credit_balance", "cancelled"],
      ["deposit", "cancelled"],
    ]);
    const events = (await eventsOf(camille.caseId)).slice(before);
    expect(events.map((event) => event.type)).toEqual([
      "case.withdrawn",
      "return.updated",
      "refund.updated",
      "refund.updated",
    ]);
    expect(events[1]!.data).toEqual({
      returnNumber: camille.returnNumber,
      status: "cancelled",
      method: null,
    });
    expect(events.slice(2).map((event) => event.data)).toEqual(
      expect.arrayContaining(
        caseRefunds.map((refund) => ({
          refundId: refund.id,
          kind: refund.kind,
          status: "cancelled",
          amountCents: refund.amountCents,
          reasonCode: "case_withdrawn",
        })),
      ),
    );

    const withdrawn = await snapshot(camille.caseId);
    expect(await receive(staff, camille.returnId, [[camille.box, "ok"]], BOX_BACK)).toEqual({
      kind: "return_closed",
      status: "cancelled",
    });
    expect(
      await recordCarrierEvent(
        db,
        {
          returnNumber: camille.returnNumber,
          kind: "handed_in",
          occurredAt: BOX_BACK,
          carrier: null,
          trackingNumber: null,
          location: null,
          externalId: null,
          source: "manual",
        },
        staff,
        meta,
      ),
    ).toEqual({ kind: "return_closed" });
    for (const now of [
      new Date("2026-12-27T09:00:00Z"),
      new Date("2027-01-02T09:00:00Z"),
      DAY_AFTER,
    ])
      expect(await check(now)).toEqual({ reminders: 0, charged: 0 });
    for (const refund of caseRefunds)
      expect(
        await refundAction(
          refund.id,
          { kind: "issue", paymentReference: "VIR-X" },
          staff,
          DAY_AFTER,
        ),
      ).toEqual({ kind: "refused", from: "cancelled" });
    expect(await snapshot(camille.caseId)).toEqual(withdrawn);
    expect(await verifyCaseChain(db, camille.caseId)).toMatchObject({ ok: true });
  });
});
