import { request as httpRequest } from "node:http";
import { and, asc, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../../app/auth/api-keys.server";
import { consumeLimits } from "../../app/auth/rate-limit.server";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { addDays, addMonths, dateInZone } from "../../app/domain/dates";
import type { CaseStatus } from "../../app/domain/enums";
import { recordCarrierEvent } from "../../app/services/returns/record-carrier-event.server";
import { apiKeys, auditEvents, carrierEvents, equipmentReturns, operators } from "../../db/schema";
import { insertCase, insertContract, insertEquipment, insertSubscriber } from "../factories/index";
import { setupPortal } from "../setup/portal";
import { postForm } from "../setup/staff-http";

// The carrier tracking endpoint over HTTP against the real portal (production build, seeded
// Postgres): API-key authentication, validation, replays, and the CSRF exemption of /api/.
// Every refusal leaves the database as it was.
const app = setupPortal("carrier_api");
const ENDPOINT = "/api/v1/carrier-events";

let writerKey: string;
let writerKeyId: string;
let readerKey: string;
let revokedKey: string;

interface CaseWithReturn {
  caseId: string;
  returnId: string;
  returnNumber: string;
}

/** A fresh subscriber with a box to give back, and their notified case (with its return). */
async function caseWithReturn(status: CaseStatus = "received"): Promise<CaseWithReturn> {
  const db = app.db();
  const [operator] = await db.select().from(operators).where(eq(operators.slug, "nebula"));
  if (!operator) throw new Error("the seeded operator is missing");
  const now = new Date();
  const today = dateInZone(now, operator.timeZone);
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    startDate: addMonths(today, -30),
  });
  await insertEquipment(db, { contractId: contract.id, kind: "box", nonReturnChargeCents: 9000 });
  const { case: row } = await insertCase(db, {
    operatorId: operator.id,
    subscriber,
    contracts: [contract],
    receivedAt: status === "withdrawn" ? new Date(now.getTime() - 2 * 86_400_000) : now,
    effectiveEndDate: addDays(today, 10),
    status,
  });
  const [found] = await db
    .select()
    .from(equipmentReturns)
    .where(eq(equipmentReturns.caseId, row.id));
  if (!found) throw new Error("insertCase made no return");
  return { caseId: row.id, returnId: found.id, returnNumber: found.returnNumber };
}

/** What a refusal must leave untouched. */
async function snapshot(target: CaseWithReturn) {
  const db = app.db();
  const [allEvents] = await db.select({ n: count() }).from(carrierEvents);
  const [caseAudit] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(eq(auditEvents.caseId, target.caseId));
  const [ret] = await db
    .select({ status: equipmentReturns.status, updatedAt: equipmentReturns.updatedAt })
    .from(equipmentReturns)
    .where(eq(equipmentReturns.id, target.returnId));
  return {
    carrierEvents: allEvents?.n,
    caseAuditEvents: caseAudit?.n,
    status: ret?.status,
    updatedAt: ret?.updatedAt.toISOString(),
  };
}

let sequence = 0;
function eventBody(target: CaseWithReturn, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    eventId: `colissimo-${Date.now()}-${sequence}`,
    returnNumber: target.returnNumber,
    kind: "handed_in",
    occurredAt: new Date(Date.now() - 3_600_000).toISOString().replace("Z", "+00:00"),
    carrier: "Colissimo",
    trackingNumber: "6A12345678901",
    location: "Relais Paris 11",
    ...overrides,
  };
}

function post(
  body: unknown,
  options: { key?: string | null; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  const key = options.key === undefined ? writerKey : options.key;
  return fetch(app.url(ENDPOINT), {
    method: "POST",
    headers: {
      "Content-Type": options.contentType ?? "application/json",
      ...(key === null ? {} : { Authorization: `Bearer ${key}` }),
      ...options.headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function expectError(
  response: Response,
  status: number,
  code: string,
  field?: string,
): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  if (field !== undefined) expect(body.error).toHaveProperty("field", field);
}

/** Runs `act` and checks the database is exactly as before. */
async function expectNothingWritten(target: CaseWithReturn, act: () => Promise<void>) {
  const before = await snapshot(target);
  await act();
  expect(await snapshot(target)).toEqual(before);
}

beforeAll(async () => {
  const db = app.db();
  const writer = await createApiKey(db, {
    name: "Carrier Colissimo",
    scopes: ["returns:write"],
    createdBy: null,
  });
  writerKey = writer.key;
  writerKeyId = writer.id;
  readerKey = (
    await createApiKey(db, { name: "BSS reader", scopes: ["cases:read"], createdBy: null })
  ).key;
  const revoked = await createApiKey(db, {
    name: "Old carrier key",
    scopes: ["returns:write"],
    createdBy: null,
  });
  await revokeApiKey(db, revoked.id);
  revokedKey = revoked.key;
});

describe("API keys", () => {
  it("stores only the SHA-256 of a key shaped ee_<prefix>_<secret>", async () => {
    const [row] = await app.db().select().from(apiKeys).where(eq(apiKeys.id, writerKeyId));
    expect(writerKey).toMatch(/^ee_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(writerKey.startsWith(`ee_${row!.prefix}_`)).toBe(true);
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(writerKey.split("_").slice(2).join("_"));
  });
});

describe("POST /api/v1/carrier-events", () => {
  it("records a valid event: 201, in transit, one carrier event, both audit events", async () => {
    const target = await caseWithReturn();
    const before = await snapshot(target);
    expect(before.status).toBe("awaiting_shipment");
    const body = eventBody(target, { occurredAt: "2026-01-15T09:30:00+01:00" });
    const response = await post(body);
    expect(response.status).toBe(201);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const answer = (await response.json()) as Record<string, string>;
    expect(answer).toEqual({
      carrierEventId: expect.any(String),
      returnNumber: target.returnNumber,
      status: "in_transit",
    });

    const rows = await app
      .db()
      .select()
      .from(carrierEvents)
      .where(eq(carrierEvents.returnId, target.returnId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: answer.carrierEventId,
      kind: "handed_in",
      source: "api",
      externalId: body.eventId,
      carrier: "Colissimo",
      trackingNumber: "6A12345678901",
      location: "Relais Paris 11",
    });
    expect(rows[0]!.occurredAt.toISOString()).toBe("2026-01-15T08:30:00.000Z");
    const after = await snapshot(target);
    expect(after.status).toBe("in_transit");
    expect(after.carrierEvents).toBe(before.carrierEvents! + 1);
    expect(after.caseAuditEvents).toBe(before.caseAuditEvents! + 2);

    const events = await app
      .db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.caseId, target.caseId))
      .orderBy(asc(auditEvents.seq));
    const [updated, carrier] = events.slice(-2);
    expect(updated).toMatchObject({
      type: "return.updated",
      actorType: "integration",
      actorId: writerKeyId,
      data: { returnNumber: target.returnNumber, status: "in_transit", method: null },
    });
    expect(carrier).toMatchObject({
      type: "return.carrier_event",
      actorType: "integration",
      actorId: writerKeyId,
      data: {
        returnNumber: target.returnNumber,
        carrierEventId: answer.carrierEventId,
        kind: "handed_in",
        source: "api",
        occurredAt: "2026-01-15T08:30:00.000Z",
      },
    });
    expect((await verifyCaseChain(app.db(), target.caseId)).ok).toBe(true);
    const [key] = await app.db().select().from(apiKeys).where(eq(apiKeys.id, writerKeyId));
    expect(key!.lastUsedAt).not.toBeNull();

    // The same eventId again is a replay: refused, nothing added.
    await expectNothingWritten(target, async () => {
      await expectError(await post(body), 409, "duplicate_event", "eventId");
    });

    // A later event keeps the status (already in transit) and adds only its own audit event.
    const later = await post(eventBody(target, { kind: "delivered" }));
    expect(later.status).toBe(201);
    expect(((await later.json()) as { status: string }).status).toBe("in_transit");
    expect((await snapshot(target)).caseAuditEvents).toBe(after.caseAuditEvents! + 1);
  });

  it("answers 404 for an unknown return number", async () => {
    const target = await caseWithReturn();
    await expectNothingWritten(target, async () => {
      const response = await post(eventBody(target, { returnNumber: "RT-2222-3333" }));
      await expectError(response, 404, "unknown_return", "returnNumber");
    });
  });

  it("answers 409 return_closed for the cancelled return of a withdrawn case", async () => {
    const target = await caseWithReturn("withdrawn");
    expect((await snapshot(target)).status).toBe("cancelled");
    await expectNothingWritten(target, async () => {
      await expectError(await post(eventBody(target)), 409, "return_closed");
    });
  });

  it("refuses requests without a valid key: 401 (none, wrong, revoked), 403 (scope)", async () => {
    const target = await caseWithReturn();
    await expectNothingWritten(target, async () => {
      const none = await post(eventBody(target), { key: null });
      expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
      await expectError(none, 401, "unauthorized");

      const wrong = await post(eventBody(target), {
        key: `ee_00000000_${"A".repeat(43)}`,
      });
      expect(wrong.headers.get("www-authenticate")).toContain('error="invalid_token"');
      await expectError(wrong, 401, "unauthorized");

      const garbage = await post(eventBody(target), { key: "not-a-key" });
      await expectError(garbage, 401, "unauthorized");

      const revoked = await post(eventBody(target), { key: revokedKey });
      expect(revoked.headers.get("www-authenticate")).toMatch(/^Bearer/);
      await expectError(revoked, 401, "unauthorized");

      const reader = await post(eventBody(target), { key: readerKey });
      expect(reader.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
      await expectError(reader, 403, "insufficient_scope");
    });
  });

  it("authenticates before reading the body", async () => {
    const target = await caseWithReturn();
    await expectError(await post("{not json", { key: null }), 401, "unauthorized");
    await expectError(
      await post("{not json", { key: null, contentType: "text/plain" }),
      401,
      "unauthorized",
    );
    expect((await snapshot(target)).status).toBe("awaiting_shipment");
  });

  it("refuses bodies that are not JSON or not valid: 415, 400, 422 with the field", async () => {
    const target = await caseWithReturn();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    await expectNothingWritten(target, async () => {
      await expectError(
        await post(eventBody(target), { contentType: "text/plain" }),
        415,
        "unsupported_media_type",
      );
      await expectError(
        await post(new URLSearchParams({ eventId: "x" }).toString(), {
          contentType: "application/x-www-form-urlencoded",
        }),
        415,
        "unsupported_media_type",
      );
      await expectError(await post('{"eventId": "x",'), 400, "malformed_json");
      await expectError(
        await post(eventBody(target, { occurredAt: "2026-01-15T09:30:00" })),
        422,
        "invalid_field",
        "occurredAt",
      );
      await expectError(
        await post(eventBody(target, { occurredAt: inAnHour })),
        422,
        "invalid_field",
        "occurredAt",
      );
      await expectError(
        await post(eventBody(target, { signature: "extra" })),
        422,
        "invalid_field",
        "signature",
      );
      await expectError(
        await post(eventBody(target, { kind: "lost" })),
        422,
        "invalid_field",
        "kind",
      );
      await expectError(
        await post(eventBody(target, { eventId: "" })),
        422,
        "invalid_field",
        "eventId",
      );
      await expectError(
        await post(eventBody(target, { location: "x".repeat(121) })),
        422,
        "invalid_field",
        "location",
      );
      await expectError(await post("[]"), 422, "invalid_field");
    });
    // A charset parameter and a clock a little ahead are fine.
    const ok = await post(
      eventBody(target, { occurredAt: new Date(Date.now() + 60_000).toISOString() }),
      { contentType: "application/json; charset=utf-8" },
    );
    expect(ok.status).toBe(201);
  });

  it("answers 429 with Retry-After once a key has used its requests of the minute", async () => {
    const db = app.db();
    const busy = await createApiKey(db, {
      name: "Busy carrier",
      scopes: ["returns:write"],
      createdBy: null,
    });
    const used = await consumeLimits(
      db,
      Array.from({ length: 600 }, () => ({ name: "apiByKey" as const, key: busy.id })),
    );
    expect(used.ok).toBe(true);
    const target = await caseWithReturn();
    await expectNothingWritten(target, async () => {
      const response = await post(eventBody(target), { key: busy.key });
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectError(response, 429, "rate_limited");
    });
  });

  it("answers GET with 405 and Allow: POST", async () => {
    const response = await fetch(app.url(ENDPOINT), {
      headers: { Authorization: `Bearer ${writerKey}` },
    });
    expect(response.headers.get("allow")).toBe("POST");
    await expectError(response, 405, "method_not_allowed");
  });
});

describe("CSRF exemption of /api/", () => {
  it("accepts an API call with a foreign Origin, and still refuses a staff form from it", async () => {
    const target = await caseWithReturn();
    const typed = target.returnNumber.toLowerCase().replace(/-/g, " ");
    const response = await post(eventBody(target, { returnNumber: typed }), {
      headers: { Origin: "https://carrier-dashboard.example" },
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { returnNumber: string }).returnNumber).toBe(
      target.returnNumber,
    );

    const staff = await postForm(
      app.url("/staff/connexion"),
      { email: "ops@example.com", password: "x" },
      { origin: "https://carrier-dashboard.example" },
    );
    expect(staff.status).toBe(403);
  });

  it("does not exempt a staff path reached through /api/../", async () => {
    const target = new URL(app.url("/"));
    const body = new URLSearchParams({ email: "ops@example.com", password: "x" }).toString();
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: "POST",
          path: "/api/../staff/connexion",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": Buffer.byteLength(body),
            Origin: "https://evil.example",
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on("error", reject);
      request.end(body);
    });
    expect(status).toBe(403);
  });
});

describe("recordCarrierEvent", () => {
  it("lets the unique index decide when one event id is posted for two returns at once", async () => {
    const a = await caseWithReturn();
    const b = await caseWithReturn();
    const eventId = `race-${Date.now()}`;
    const input = (returnNumber: string) => ({
      returnNumber,
      kind: "in_transit" as const,
      occurredAt: new Date(Date.now() - 60_000),
      carrier: null,
      trackingNumber: null,
      location: null,
      externalId: eventId,
      source: "api" as const,
    });
    const before = [await snapshot(a), await snapshot(b)];
    const actor = { type: "integration" as const, id: writerKeyId };
    const meta = { ip: null, userAgent: null };
    const results = await Promise.all([
      recordCarrierEvent(app.db(), input(a.returnNumber), actor, meta),
      recordCarrierEvent(app.db(), input(b.returnNumber), actor, meta),
    ]);
    expect(results.map((result) => result.kind).sort()).toEqual(["duplicate", "recorded"]);
    const loser = results[0]!.kind === "duplicate" ? a : b;
    const loserBefore = loser === a ? before[0]! : before[1]!;
    const loserAfter = await snapshot(loser);
    expect(loserAfter.status).toBe(loserBefore.status);
    expect(loserAfter.caseAuditEvents).toBe(loserBefore.caseAuditEvents);
    expect(loserAfter.carrierEvents).toBe(loserBefore.carrierEvents! + 1);
    const [rows] = await app
      .db()
      .select({ n: count() })
      .from(carrierEvents)
      .where(
        and(eq(carrierEvents.externalId, eventId), eq(carrierEvents.returnId, loser.returnId)),
      );
    expect(rows?.n).toBe(0);
  });

  it("records a manual event typed by staff without an event id", async () => {
    const target = await caseWithReturn();
    const result = await recordCarrierEvent(
      app.db(),
      {
        returnNumber: target.returnNumber,
        kind: "delivered",
        occurredAt: new Date(),
        carrier: null,
        trackingNumber: null,
        location: null,
        externalId: null,
        source: "manual",
      },
      { type: "staff", id: "00000000-0000-4000-8000-000000000000" },
      { ip: "127.0.0.1", userAgent: "test" },
    );
    expect(result).toMatchObject({ kind: "recorded", status: "in_transit" });
  });
});
