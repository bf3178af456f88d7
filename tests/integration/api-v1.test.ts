import { randomUUID } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import routes from "../../app/routes";
import { createApiKey, revokeApiKey } from "../../app/auth/api-keys.server";
import { consumeLimits } from "../../app/auth/rate-limit.server";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { addDays, addMonths, dateInZone } from "../../app/domain/dates";
import { purgeExpiredIdempotencyKeys } from "../../app/services/api/idempotency-keys.server";
import {
  apiIdempotencyKeys,
  auditEvents,
  cancellationCases,
  contracts,
  equipment,
  lines,
  operators,
  refunds,
  staffUsers,
} from "../../db/schema";
import { insertCase, insertContract, insertSubscriber } from "../factories/index";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";

// The integration API /api/v1 over HTTP against the real portal (production build, seeded
// Postgres): keys and scopes, the one error shape, Idempotency-Key replays (also concurrent),
// cursor pagination, refund events, and the OpenAPI 3.1 document.
const app = setupPortal("api_v1");

let allKey: string;
let allKeyId: string;
let readerKey: string;
let revokedKey: string;
let operatorId: string;

beforeAll(async () => {
  const db = app.db();
  const all = await createApiKey(db, {
    name: "BSS",
    scopes: ["contracts:write", "cases:read", "refunds:write", "returns:write"],
    createdBy: null,
  });
  allKey = all.key;
  allKeyId = all.id;
  readerKey = (await createApiKey(db, { name: "Reader", scopes: ["cases:read"], createdBy: null }))
    .key;
  const revoked = await createApiKey(db, {
    name: "Old BSS",
    scopes: ["contracts:write", "cases:read"],
    createdBy: null,
  });
  await revokeApiKey(db, revoked.id);
  revokedKey = revoked.key;
  const [operator] = await db.select().from(operators).where(eq(operators.slug, "nebula"));
  operatorId = operator!.id;
});

function call(
  method: string,
  path: string,
  options: {
    key?: string | null;
    body?: unknown;
    idempotencyKey?: string;
    contentType?: string;
  } = {},
): Promise<Response> {
  const key = options.key === undefined ? allKey : options.key;
  const headers: Record<string, string> = {};
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (options.body !== undefined)
    headers["Content-Type"] = options.contentType ?? "application/json";
  if (options.idempotencyKey !== undefined) headers["Idempotency-Key"] = options.idempotencyKey;
  return fetch(app.url(path), {
    method,
    headers,
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
}

async function expectError(response: Response, status: number, code: string, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(body.error.message).toEqual(expect.any(String));
  if (field !== undefined) expect(body.error.field).toBe(field);
}

let sequence = 0;
function contractRecord(overrides: { startDate?: string } = {}) {
  sequence += 1;
  const id = `${Date.now()}-${sequence}`;
  return {
    subscriber: {
      externalId: `SUB-${id}`,
      customerNumber: `C-${id}`,
      firstName: "Inès",
      lastName: "Durand",
      email: `ines.${id}@example.com`,
    },
    contract: {
      externalId: `CTR-${id}`,
      contractNumber: `N-${id}`,
      offerName: "Fibre 1 Gb",
      category: "internet",
      jurisdiction: "FR",
      monthlyPriceCents: 3999,
      startDate: overrides.startDate ?? "2025-01-15",
      commitmentMonths: 12,
    },
    lines: [{ phoneNumber: `+3317${String(Date.now() + sequence).slice(-7)}` }],
    equipment: [{ externalId: `EQ-${id}`, kind: "box", model: "Box 8", mustReturn: true }],
  };
}

const contractPath = (record: ReturnType<typeof contractRecord>) =>
  `/api/v1/contracts/${encodeURIComponent(record.contract.externalId)}`;

async function contractRows(externalId: string) {
  return app
    .db()
    .select()
    .from(contracts)
    .where(and(eq(contracts.operatorId, operatorId), eq(contracts.externalId, externalId)));
}

describe("authentication and the error shape", () => {
  it("answers 401 without a key, with a wrong key and with a revoked key", async () => {
    const none = await call("GET", "/api/v1/cases", { key: null });
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    await expectError(none, 401, "unauthorized");
    await expectError(
      await call("GET", "/api/v1/cases", { key: `ee_00000000_${"A".repeat(43)}` }),
      401,
      "unauthorized",
    );
    await expectError(await call("GET", "/api/v1/cases", { key: revokedKey }), 401, "unauthorized");
    const record = contractRecord();
    await expectError(
      await call("PUT", contractPath(record), { key: revokedKey, body: record }),
      401,
      "unauthorized",
    );
  });

  it("answers 403 when the key lacks the scope, and writes nothing", async () => {
    const record = contractRecord();
    const response = await call("PUT", contractPath(record), { key: readerKey, body: record });
    expect(response.headers.get("www-authenticate")).toContain('scope="contracts:write"');
    await expectError(response, 403, "insufficient_scope");
    await expectError(
      await call("POST", "/api/v1/refund-events", { key: readerKey, body: {} }),
      403,
      "insufficient_scope",
    );
    expect(await contractRows(record.contract.externalId)).toHaveLength(0);
  });

  it("answers 400 for malformed JSON and 422 naming the invalid field", async () => {
    const record = contractRecord();
    await expectError(
      await call("PUT", contractPath(record), { body: '{"subscriber": {' }),
      400,
      "malformed_json",
    );
    await expectError(
      await call("PUT", contractPath(record), {
        body: contractRecord({ startDate: "15/01/2025" }),
      }),
      422,
      "invalid_field",
      "contract.startDate",
    );
    await expectError(
      await call("PUT", contractPath(record), {
        body: { ...record, lines: [{ phoneNumber: "0612" }] },
      }),
      422,
      "invalid_field",
      "lines.0.phoneNumber",
    );
    await expectError(
      await call("PUT", "/api/v1/contracts/ANOTHER-ID", { body: record }),
      422,
      "invalid_field",
      "contract.externalId",
    );
    await expectError(await call("GET", "/api/v1/cases?limit=0"), 422, "invalid_field", "limit");
    await expectError(
      await call("GET", "/api/v1/cases?status=lost"),
      422,
      "invalid_field",
      "status",
    );
    await expectError(
      await call("GET", "/api/v1/cases?cursor=bm90LWEtY3Vyc29y"),
      422,
      "invalid_field",
      "cursor",
    );
    expect(await contractRows(record.contract.externalId)).toHaveLength(0);
  });

  it("answers 429 with Retry-After once the key used its requests of the minute", async () => {
    const db = app.db();
    const busy = await createApiKey(db, { name: "Busy", scopes: ["cases:read"], createdBy: null });
    await consumeLimits(
      db,
      Array.from({ length: 600 }, () => ({ name: "apiByKey" as const, key: busy.id })),
    );
    const response = await call("GET", "/api/v1/cases", { key: busy.key });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectError(response, 429, "rate_limited");
  });

  it("answers 405 with Allow for the wrong method", async () => {
    const response = await call("POST", "/api/v1/cases", { body: {} });
    expect(response.headers.get("allow")).toBe("GET");
    await expectError(response, 405, "method_not_allowed");
  });
});

describe("PUT /api/v1/contracts/{externalId}", () => {
  it("creates then updates a contract with its subscriber, lines and equipment", async () => {
    const record = contractRecord();
    const created = await call("PUT", contractPath(record), { body: record });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Record<string, Record<string, unknown>>;
    expect(body.outcome).toBe("created");
    expect(body.contract).toMatchObject({
      externalId: record.contract.externalId,
      startDate: "2025-01-15",
      commitmentMonths: 12,
      currency: "EUR",
    });
    expect(body.lines).toEqual(record.lines);
    expect(body.equipment).toEqual([
      expect.objectContaining({ externalId: record.equipment[0]!.externalId, mustReturn: true }),
    ]);
    const [row] = await contractRows(record.contract.externalId);
    expect(await app.db().select().from(lines).where(eq(lines.contractId, row!.id))).toHaveLength(
      1,
    );
    expect(
      await app.db().select().from(equipment).where(eq(equipment.contractId, row!.id)),
    ).toHaveLength(1);

    const same = await call("PUT", contractPath(record), { body: record });
    expect(same.status).toBe(200);
    expect(((await same.json()) as { outcome: string }).outcome).toBe("unchanged");

    const changed = { ...record, contract: { ...record.contract, offerName: "Fibre 2 Gb" } };
    const updated = await call("PUT", contractPath(record), { body: changed });
    expect(updated.status).toBe(200);
    const updatedBody = (await updated.json()) as { outcome: string; contract: object };
    expect(updatedBody.outcome).toBe("updated");
    expect(updatedBody.contract).toMatchObject({ offerName: "Fibre 2 Gb" });
    expect(await contractRows(record.contract.externalId)).toHaveLength(1);
  });

  it("replays the same Idempotency-Key and body, and refuses the key with another body", async () => {
    const record = contractRecord();
    const key = randomUUID();
    const first = await call("PUT", contractPath(record), { body: record, idempotencyKey: key });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const [row] = await contractRows(record.contract.externalId);
    const [eventsBefore] = await app
      .db()
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.stream, `contract:${row!.id}`));

    // The same body with its keys in another order is the same request.
    const reordered = Object.fromEntries(Object.entries(record).reverse());
    const second = await call("PUT", contractPath(record), {
      body: reordered,
      idempotencyKey: key,
    });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(firstBody);
    expect(await contractRows(record.contract.externalId)).toHaveLength(1);
    const [eventsAfter] = await app
      .db()
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.stream, `contract:${row!.id}`));
    expect(eventsAfter!.n).toBe(eventsBefore!.n);

    const changed = { ...record, contract: { ...record.contract, offerName: "Other" } };
    await expectError(
      await call("PUT", contractPath(record), { body: changed, idempotencyKey: key }),
      422,
      "idempotency_key_reused",
      "Idempotency-Key",
    );
    const [stored] = await contractRows(record.contract.externalId);
    expect(stored!.offerName).toBe("Fibre 1 Gb");

    await expectError(
      await call("PUT", contractPath(record), { body: record, idempotencyKey: "a b" }),
      400,
      "invalid_idempotency_key",
    );
  });

  it("runs concurrent duplicates once", async () => {
    const record = contractRecord();
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        call("PUT", contractPath(record), { body: record, idempotencyKey: key }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201]);
    const bodies = await Promise.all(answers.map((answer) => answer.json()));
    for (const body of bodies) expect(body).toEqual(bodies[0]);
    expect(answers.filter((answer) => answer.headers.get("idempotent-replayed"))).toHaveLength(3);
    const rows = await contractRows(record.contract.externalId);
    expect(rows).toHaveLength(1);
    const [events] = await app
      .db()
      .select({ n: count() })
      .from(auditEvents)
      .where(eq(auditEvents.stream, `contract:${rows[0]!.id}`));
    expect(events!.n).toBe(1);
  });

  it("forgets Idempotency-Keys after 24 hours (maintenance purge)", async () => {
    const db = app.db();
    const record = contractRecord();
    const key = randomUUID();
    expect(
      (await call("PUT", contractPath(record), { body: record, idempotencyKey: key })).status,
    ).toBe(201);
    await db
      .update(apiIdempotencyKeys)
      .set({ createdAt: sql`now() - interval '25 hours'` })
      .where(and(eq(apiIdempotencyKeys.apiKeyId, allKeyId), eq(apiIdempotencyKeys.key, key)));
    expect(await purgeExpiredIdempotencyKeys(db)).toBeGreaterThanOrEqual(1);
    const rows = await db.select().from(apiIdempotencyKeys).where(eq(apiIdempotencyKeys.key, key));
    expect(rows).toHaveLength(0);
  });
});

/** Follows next_cursor from the first page to the last; the references seen, in order. */
async function walkCases(query: string): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const more: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const response = await call("GET", `/api/v1/cases?${query}${more}`, { key: readerKey });
    expect(response.status).toBe(200);
    const page = (await response.json()) as {
      data: { reference: string }[];
      next_cursor: string | null;
    };
    seen.push(...page.data.map((item) => item.reference));
    cursor = page.next_cursor;
    pages += 1;
  } while (cursor !== null && pages < 500);
  return seen;
}

describe("GET /api/v1/cases", () => {
  it("walks every case of the operator exactly once, page by page", async () => {
    const expected = await app
      .db()
      .select({ reference: cancellationCases.reference })
      .from(cancellationCases)
      .where(eq(cancellationCases.operatorId, operatorId));
    expect(expected.length).toBeGreaterThan(10);
    const seen = await walkCases("limit=200");
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(expected.map((row) => row.reference).sort());
  }, 120_000);

  it("walks small pages of cases changed at the same instant without losing one", async () => {
    const db = app.db();
    const since = new Date(Date.now() - 1000).toISOString();
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push((await caseWithRefundDue()).id);
    // Five cases changed in the same transaction: one updated_at, told apart by id.
    await db.execute(
      sql`update cancellation_case set updated_at = now() where id in (${sql.join(
        made.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
    const references = await db
      .select({ reference: cancellationCases.reference })
      .from(cancellationCases)
      .where(sql`${cancellationCases.updatedAt} >= ${since}::timestamptz`);
    const seen = await walkCases(`limit=2&updated_since=${encodeURIComponent(since)}`);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(references.map((row) => row.reference).sort());
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it("filters by status and updated_since", async () => {
    const withdrawn = await call("GET", "/api/v1/cases?status=withdrawn&limit=200", {
      key: readerKey,
    });
    const page = (await withdrawn.json()) as { data: { status: string }[] };
    expect(page.data.every((item) => item.status === "withdrawn")).toBe(true);

    const since = new Date(Date.now() + 60_000).toISOString();
    const none = await call("GET", `/api/v1/cases?updated_since=${encodeURIComponent(since)}`, {
      key: readerKey,
    });
    expect(await none.json()).toEqual({ data: [], next_cursor: null });
  });
});

/** A fresh notified case with a refund due (an advance payment to pay back). */
async function caseWithRefundDue() {
  const db = app.db();
  const [operator] = await db.select().from(operators).where(eq(operators.id, operatorId));
  const today = dateInZone(new Date(), operator!.timeZone);
  const subscriber = await insertSubscriber(db, { operatorId });
  const contract = await insertContract(db, {
    operatorId,
    subscriberId: subscriber.id,
    startDate: addMonths(today, -30),
  });
  const { case: row } = await insertCase(db, {
    operatorId,
    subscriber,
    contracts: [contract],
    receivedAt: new Date(),
    effectiveEndDate: addDays(today, 10),
  });
  await db
    .insert(refunds)
    .values({ caseId: row.id, kind: "advance_payment", amountCents: 2500, status: "due" })
    .onConflictDoUpdate({
      target: [refunds.caseId, refunds.kind],
      set: { status: "due", amountCents: 2500 },
    });
  return row;
}

describe("GET /api/v1/cases/{reference} and its events", () => {
  it("answers one case, and its audit events page by page", async () => {
    const [busiest] = await app
      .db()
      .select({ caseId: auditEvents.caseId, n: count() })
      .from(auditEvents)
      .innerJoin(cancellationCases, eq(cancellationCases.id, auditEvents.caseId))
      .where(
        and(
          eq(cancellationCases.operatorId, operatorId),
          sql`${auditEvents.stream} = 'case:' || ${auditEvents.caseId}`,
        ),
      )
      .groupBy(auditEvents.caseId)
      .orderBy(sql`count(*) desc`)
      .limit(1);
    const [row] = await app
      .db()
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, busiest!.caseId!));
    if (!row) throw new Error("the seed has no case");
    const response = await call("GET", `/api/v1/cases/${row.reference}`, { key: readerKey });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ reference: row.reference, status: row.status });
    expect(JSON.stringify(body)).not.toContain(row.acknowledgmentEmail);

    const expected = await app
      .db()
      .select({ seq: auditEvents.seq })
      .from(auditEvents)
      .where(eq(auditEvents.stream, `case:${row.id}`))
      .orderBy(asc(auditEvents.seq));
    expect(expected.length).toBeGreaterThan(1);
    const seqs: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
      const page = (await (
        await call("GET", `/api/v1/cases/${row.reference}/events?limit=2${query}`, {
          key: readerKey,
        })
      ).json()) as { data: { seq: number; type: string }[]; next_cursor: string | null };
      seqs.push(...page.data.map((event) => event.seq));
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(seqs).toEqual(expected.map((event) => event.seq));

    await expectError(
      await call("GET", "/api/v1/cases/RX-0000-0000", { key: readerKey }),
      404,
      "not_found",
    );
    await expectError(
      await call("GET", "/api/v1/cases/RX-0000-0000/events", { key: readerKey }),
      404,
      "not_found",
    );
  });
});

describe("POST /api/v1/refund-events", () => {
  it("marks a refund paid once, audited, and replays it for the same Idempotency-Key", async () => {
    const row = await caseWithRefundDue();
    const event = {
      caseReference: row.reference,
      kind: "advance_payment",
      outcome: "paid",
      paymentReference: "VIR-2026-0042",
    };
    const key = randomUUID();
    const paid = await call("POST", "/api/v1/refund-events", { body: event, idempotencyKey: key });
    expect(paid.status).toBe(200);
    const body = await paid.json();
    expect(body).toMatchObject({
      caseReference: row.reference,
      status: "issued",
      paymentReference: "VIR-2026-0042",
    });
    const replay = await call("POST", "/api/v1/refund-events", {
      body: event,
      idempotencyKey: key,
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(body);

    const updates = await app
      .db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, row.id), eq(auditEvents.type, "refund.updated")));
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      actorType: "integration",
      actorId: allKeyId,
      data: expect.objectContaining({ status: "issued", kind: "advance_payment" }),
    });
    expect((await verifyCaseChain(app.db(), row.id)).ok).toBe(true);

    // Without the key, a second report is refused: an issued refund cannot fail.
    await expectError(
      await call("POST", "/api/v1/refund-events", {
        body: { ...event, outcome: "failed", paymentReference: undefined, failureReason: "other" },
      }),
      409,
      "refund_refused",
    );
    await expectError(
      await call("POST", "/api/v1/refund-events", { body: { ...event, kind: "deposit" } }),
      404,
      "not_found",
      "caseReference",
    );
    await expectError(
      await call("POST", "/api/v1/refund-events", {
        body: { ...event, paymentReference: undefined },
      }),
      422,
      "invalid_field",
      "paymentReference",
    );
  });
});

describe("GET /api/v1/openapi.json and /api/v1/docs", () => {
  it("is a valid OpenAPI 3.1 document listing every /api/v1 route", async () => {
    const response = await fetch(app.url("/api/v1/openapi.json"));
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(document.openapi).toBe("3.1.0");
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const apiRoutes = routes
      .map((entry) => entry.path ?? "")
      .filter((path) => path.startsWith("api/v1/"))
      .filter((path) => path !== "api/v1/openapi.json" && path !== "api/v1/docs")
      .map((path) => `/${path.replace(/:([A-Za-z]+)/g, "{$1}")}`);
    expect(apiRoutes.length).toBeGreaterThanOrEqual(6);
    expect(Object.keys(document.paths).sort()).toEqual(apiRoutes.sort());
    for (const [path, item] of Object.entries(document.paths)) {
      for (const operation of Object.values(item) as { security: unknown[]; responses: object }[]) {
        expect(operation.security, path).toHaveLength(1);
        expect(Object.keys(operation.responses), path).toEqual(
          expect.arrayContaining(["401", "403", "429"]),
        );
      }
    }
  });

  it("renders a readable reference page", async () => {
    const response = await fetch(app.url("/api/v1/docs"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain("PUT /api/v1/contracts/{externalId}");
    expect(html).toContain("GET /api/v1/cases/{reference}/events");
    expect(html).toContain("Idempotency-Key");
  });
});

describe("the admin page of API keys (/staff/reglages/api)", () => {
  const PAGE = "/staff/reglages/api";
  const KEY = /ee_[0-9a-f]{8}_[A-Za-z0-9_-]{43}/;

  async function settingsEvents(type: string) {
    return app
      .db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.stream, "settings:api"), eq(auditEvents.type, type)))
      .orderBy(asc(auditEvents.seq));
  }

  it("admin creates a key shown once, that works, then revokes it behind a confirmation", async () => {
    const admin = await signIn(app.url, "admin@example.com");
    const [adminRow] = await app
      .db()
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(eq(staffUsers.email, "admin@example.com"));
    const page = await getPage(app.url(PAGE), admin);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Clés d’API");
    expect(html).toContain('name="scopes"');

    const refused = await postForm(
      app.url(PAGE),
      { intent: "create", name: "BSS recette" },
      { cookie: admin },
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Cochez au moins un droit.");

    const form = new URLSearchParams({ intent: "create", name: "BSS recette" });
    form.append("scopes", "cases:read");
    form.append("scopes", "refunds:write");
    const created = await fetch(app.url(PAGE), {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: new URL(app.url(PAGE)).origin,
        Cookie: admin,
      },
      body: form,
    });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const createdHtml = await created.text();
    const key = KEY.exec(createdHtml)?.[0];
    expect(key).toBeDefined();
    expect(createdHtml).toContain("ne sera plus jamais affichée");
    // Shown once: the list shows its prefix only.
    const again = await (await getPage(app.url(PAGE), admin)).text();
    expect(again).not.toContain(key!);
    expect(again).toContain(`ee_${key!.split("_")[1]}_…`);

    expect((await call("GET", "/api/v1/cases?limit=1", { key })).status).toBe(200);
    await expectError(
      await call("PUT", "/api/v1/contracts/X", { key, body: {} }),
      403,
      "insufficient_scope",
    );

    const [event] = (await settingsEvents("api_key.created")).slice(-1);
    expect(event).toMatchObject({
      actorType: "staff",
      actorId: adminRow!.id,
      data: { scopes: ["cases:read", "refunds:write"] },
    });
    const apiKeyId = (event!.data as { apiKeyId: string }).apiKeyId;
    expect(JSON.stringify(event!.data)).not.toContain(key!.split("_")[1]);
    expect(JSON.stringify(event!.data)).not.toContain("BSS recette");

    const confirm = await getPage(app.url(`${PAGE}/${apiKeyId}/revoquer`), admin);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Révoquer la clé « BSS recette » ?");
    const revoked = await postForm(app.url(`${PAGE}/${apiKeyId}/revoquer`), {}, { cookie: admin });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.get("location")).toBe(`${PAGE}?revoque=${apiKeyId}`);
    await expectError(await call("GET", "/api/v1/cases", { key }), 401, "unauthorized");
    const [revokedEvent] = (await settingsEvents("api_key.revoked")).slice(-1);
    expect(revokedEvent).toMatchObject({ actorType: "staff", data: { apiKeyId } });
    const after = await (await getPage(app.url(`${PAGE}?revoque=${apiKeyId}`), admin)).text();
    expect(after).toContain("La clé « BSS recette » est révoquée");
  });

  it("is admin's alone", async () => {
    const compliance = await signIn(app.url, "compliance@example.com");
    expect((await getPage(app.url(PAGE), compliance)).status).toBe(403);
    const post = await postForm(
      app.url(PAGE),
      { intent: "create", name: "x", scopes: "cases:read" },
      { cookie: compliance },
    );
    expect(post.status).toBe(403);
  });
});
