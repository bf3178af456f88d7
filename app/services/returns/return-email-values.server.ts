import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "../../../db/client";
import { equipment, equipmentReturns, refunds, returnItems } from "../../../db/schema";
import { depositStatement, type ReminderKey } from "../../domain/returns";
import { fill, type EmailTemplates } from "../../mail/email-templates";
import {
  formatDate,
  formatDateTime,
  formatMoney,
  translate,
  type Lang,
  type MessageKey,
} from "../../i18n/i18n";

export type ReturnEmailKind =
  "return_receipt" | "return_reminder" | "return_charged" | "refund_issued";

/** Thrown when an email's subject (reception, refund) cannot be found: retrying will not help. */
export class MissingEmailSubject extends Error {}

interface Context {
  caseId: string;
  key: string;
  lang: Lang;
  timeZone: string;
  templates: EmailTemplates;
  operatorName: string;
}

/**
 * The values of the return and refund emails: item lists (one line per device, with its
 * condition or its charge), the deposit statement, deadlines — worded from templates/.
 */
export async function returnEmailValues(
  db: Queryable,
  kind: ReturnEmailKind,
  context: Context,
): Promise<Record<string, string>> {
  const { lang, templates, caseId } = context;
  const words = templates.returns;
  const money = (cents: number, currency: string) => formatMoney(cents, currency, lang);
  const [equipmentReturn] = await db
    .select()
    .from(equipmentReturns)
    .where(eq(equipmentReturns.caseId, caseId));
  const items = equipmentReturn
    ? await db
        .select({
          equipmentId: returnItems.equipmentId,
          kind: equipment.kind,
          model: equipment.model,
          serial: equipment.serial,
          condition: returnItems.condition,
          receivedAt: returnItems.receivedAt,
          receptionId: returnItems.receptionId,
          chargeCents: returnItems.chargeCents,
          nonReturnChargeCents: returnItems.nonReturnChargeCents,
          currency: returnItems.currency,
        })
        .from(returnItems)
        .innerJoin(equipment, eq(equipment.id, returnItems.equipmentId))
        .where(eq(returnItems.returnId, equipmentReturn.id))
        .orderBy(asc(equipment.kind), asc(equipment.model))
    : [];
  const itemName = (item: (typeof items)[number]) =>
    `${translate(lang, `equipment.${item.kind}` as MessageKey)} ${item.model}${item.serial ? ` (${item.serial})` : ""}`;
  const [deposit] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.caseId, caseId), eq(refunds.kind, "deposit")));
  const depositLines = (chargesCents: number) => {
    if (!deposit) return fill(words.statementNoDeposit, { operatorName: context.operatorName });
    const statement = depositStatement(deposit.amountCents, chargesCents);
    return [
      fill(words.statementDeposit, { amount: money(statement.depositCents, deposit.currency) }),
      fill(words.statementOffset, { amount: money(statement.offsetCents, deposit.currency) }),
      fill(words.statementNet, { amount: money(statement.netCents, deposit.currency) }),
      ...(statement.remainingChargeCents > 0
        ? [
            fill(words.statementRemaining, {
              operatorName: context.operatorName,
              amount: money(statement.remainingChargeCents, deposit.currency),
            }),
          ]
        : []),
    ].join("\n");
  };
  const base: Record<string, string> = equipmentReturn
    ? {
        returnNumber: equipmentReturn.returnNumber,
        deadline: formatDate(equipmentReturn.deadline, lang),
      }
    : {};

  if (kind === "return_receipt") {
    const received = items.filter((item) => item.receptionId === context.key);
    if (!equipmentReturn || received.length === 0)
      throw new MissingEmailSubject(`reception ${context.key} not found`);
    const expected = items.filter((item) => item.receivedAt === null && item.chargeCents === 0);
    let depositNote = words.noDeposit;
    if (deposit && deposit.status === "due" && deposit.legalDueDate)
      depositNote = fill(words.depositDue, {
        amount: money(deposit.amountCents - deposit.offsetCents, deposit.currency),
        date: formatDate(deposit.legalDueDate, lang),
      });
    else if (deposit && deposit.status === "withheld") depositNote = words.depositWithheld;
    else if (deposit)
      depositNote = fill(words.depositPending, {
        amount: money(deposit.amountCents, deposit.currency),
      });
    return {
      ...base,
      receivedAt: formatDateTime(received[0]!.receivedAt!, lang, context.timeZone),
      receivedItems: received
        .map((item) =>
          fill(words.itemLine, {
            item: itemName(item),
            condition: item.condition === "damaged" ? words.conditionDamaged : words.conditionOk,
          }),
        )
        .join("\n"),
      returnState:
        expected.length === 0
          ? words.allBack
          : fill(words.stillExpected, {
              items: expected.map(itemName).join(", "),
              date: formatDate(equipmentReturn.deadline, lang),
            }),
      depositNote,
    };
  }

  if (kind === "return_reminder") {
    if (!equipmentReturn) throw new MissingEmailSubject(`case ${caseId} has no return`);
    const expected = items.filter((item) => item.receivedAt === null);
    return {
      ...base,
      daysLeft: (context.key as ReminderKey) === "1d" ? words.tomorrow : words.inSevenDays,
      items: expected.map((item) => fill(words.expectedLine, { item: itemName(item) })).join("\n"),
      chargeTotal: money(
        expected.reduce((sum, item) => sum + item.nonReturnChargeCents, 0),
        expected[0]?.currency ?? "EUR",
      ),
    };
  }

  if (kind === "return_charged") {
    const charged = items.filter((item) => item.chargeCents > 0);
    if (!equipmentReturn || charged.length === 0)
      throw new MissingEmailSubject(`case ${caseId} has no charge`);
    const total = charged.reduce((sum, item) => sum + item.chargeCents, 0);
    return {
      ...base,
      chargeTotal: money(total, charged[0]!.currency),
      chargedItems: charged
        .map((item) =>
          fill(words.chargeLine, {
            item: itemName(item),
            amount: money(item.chargeCents, item.currency),
          }),
        )
        .join("\n"),
      statement: depositLines(total),
    };
  }

  const [refund] = await db
    .select()
    .from(refunds)
    .where(and(eq(refunds.caseId, caseId), eq(refunds.id, context.key)));
  if (!refund || refund.status !== "issued" || refund.issuedAt === null)
    throw new MissingEmailSubject(`refund ${context.key} not issued`);
  const net = refund.amountCents - refund.offsetCents;
  return {
    amount: money(net, refund.currency),
    issuedOn: formatDate(refund.issuedAt, lang, { dateStyle: "long", timeZone: context.timeZone }),
    refundKind: translate(lang, `refund.${refund.kind}` as MessageKey),
    paymentReference: refund.paymentReference ?? "",
    statement:
      refund.kind === "deposit" && refund.offsetCents > 0
        ? depositLines(items.reduce((sum, item) => sum + item.chargeCents, 0))
        : fill(words.statementPaid, { amount: money(net, refund.currency) }),
  };
}
