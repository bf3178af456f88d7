import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { recordEvent } from "../../app/audit/record-event.server";
import {
  createWebhookEndpoint,
  sendWebhookTest,
} from "../../app/services/webhooks/endpoints.server";
import { withdrawCancellation } from "../../app/services/withdraw-cancellation.server";
import {
  auditEvents,
  cancellationCases,
  staffUsers,
  webhookDeliveries,
  webhookDeliveryAttempts,
  webhookEndpoints,
} from "../../db/schema";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";

// Issue #9: signed webhooks, end to end on a running portal (JOB_RETRY_DELAY_SECONDS=1, so the
// retry schedule 1 min, 5 min … runs as 1 s, 5 s …) with a real receiver on 127.0.0.1.

const app = setupPortal("webhooks");
const meta = { ip: "198.51.100.9", userAgent: "vitest webhooks" };
let adminId: string;

/** What a receiver does (this is the README's example): HMAC of "<t>.<raw body>", any v1. */
function verify(header: string, rawBody: string, secret: string): boolean {
  const parts = header.split(",").map((part) => part.split("=") as [string, string]);
  const t = parts.find(([key]) => key === "t")?.[1];
  if (t === undefined || Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${rawBody}`).digest();
  return parts.some(
    ([key, value]) =>
      key === "v1" && value.length === 64 && timingSafeEqual(expected, Buffer.from(value, "hex")),
  );
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
  at: number;
}

/** A webhook receiver on 127.0.0.1 answering the n-th request (1, 2 …) with `answer(n)`. */
async function startReceiver(answer: (n: number) => number) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const status = answer(received.length + 1);
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        status,
        at: Date.now(),
      });
      response.writeHead(status, { "Content-Type": "text/plain" });
      response.end(status < 300 ? "thanks" : "receiver unavailable");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/easy-exit`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function attemptsOf(deliveryId: string) {
  return app
    .db()
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookDeliveryAttempts.attempt));
}

async function newEndpoint(url: string, eventTypes: ("case.withdrawn" | "survey.answered")[]) {
  return createWebhookEndpoint(
    app.db(),
    { staffId: adminId, meta },
    { url, description: "Billing (tests)", eventTypes },
  );
}

/** A demo case that can still be withdrawn (notified, end date a few days ahead). */
async function withdrawableCase() {
  const [row] = await app
    .db()
    .select({ id: cancellationCases.id, reference: cancellationCases.reference })
    .from(cancellationCases)
    .where(
      and(
        inArray(cancellationCases.status, ["received", "confirmed"]),
        gt(cancellationCases.effectiveEndDate, sql`current_date + 3`),
      ),
    )
    .limit(1);
  if (!row) throw new Error("no withdrawable demo case");
  return row;
}

beforeAll(async () => {
  const [admin] = await app
    .db()
    .select({ id: staffUsers.id })
    .from(staffUsers)
    .where(eq(staffUsers.email, "admin@example.com"));
  adminId = admin!.id;
});

beforeEach(async () => {
  // Each test has its own receiver: earlier tests' endpoints stop receiving.
  await app.db().update(webhookEndpoints).set({ enabled: false });
});

describe("webhooks", () => {
  it("delivers a business event once in the end, signed, after two failures (three attempts logged)", async () => {
    const receiver = await startReceiver((n) => (n <= 2 ? 500 : 204));
    try {
      const endpoint = await newEndpoint(receiver.url, ["case.withdrawn"]);
      const found = await withdrawableCase();
      const result = await withdrawCancellation(
        { db: app.db(), jobs: app.portal().jobs },
        { caseId: found.id, meta },
      );
      expect(result.kind).toBe("withdrawn");

      const delivery = await until(async () => {
        const [row] = await app
          .db()
          .select()
          .from(webhookDeliveries)
          .where(
            and(
              eq(webhookDeliveries.endpointId, endpoint.id),
              eq(webhookDeliveries.status, "delivered"),
            ),
          );
        return row;
      });

      // Three POSTs of the same event; exactly one accepted.
      expect(receiver.received.map((request) => request.status)).toEqual([500, 500, 204]);
      for (const request of receiver.received) {
        expect(request.headers["content-type"]).toBe("application/json");
        expect(request.headers["user-agent"]).toMatch(/^EasyExit-Webhooks\//);
        expect(request.headers["easy-exit-event-id"]).toBe(delivery.eventId);
        expect(request.headers["easy-exit-event-type"]).toBe("case.withdrawn");
        expect(
          verify(String(request.headers["easy-exit-signature"]), request.body, endpoint.secret),
        ).toBe(true);
        // A signature made with another secret, or over another body, does not verify.
        expect(
          verify(
            String(request.headers["easy-exit-signature"]),
            `${request.body} `,
            endpoint.secret,
          ),
        ).toBe(false);
        expect(
          verify(String(request.headers["easy-exit-signature"]), request.body, "whsec_other"),
        ).toBe(false);
      }
      const payload = JSON.parse(receiver.received[2]!.body) as Record<string, unknown>;
      expect(payload).toMatchObject({
        id: delivery.eventId,
        type: "case.withdrawn",
        data: { case_id: found.id, reference: found.reference },
      });
      expect(Date.parse(String(payload.created_at))).not.toBeNaN();

      // The delivery log: three automatic attempts, 500, 500, 204, with growing waits between.
      const attempts = await attemptsOf(delivery.id);
      expect(
        attempts.map((attempt) => [attempt.attempt, attempt.trigger, attempt.statusCode]),
      ).toEqual([
        [1, "automatic", 500],
        [2, "automatic", 500],
        [3, "automatic", 204],
      ]);
      expect(attempts[0]!.responseExcerpt).toBe("receiver unavailable");
      expect(delivery.attempts).toBe(3);
      const [first, second, third] = receiver.received.map((request) => request.at);
      expect(second! - first!).toBeGreaterThanOrEqual(900);
      expect(third! - second!).toBeGreaterThan(second! - first!);
      // Nothing left to send.
      const pending = await app.db().execute<{ count: number }>(
        sql`select count(*)::int as count from pgboss.job where name = 'webhook.deliver'
            and data->>'deliveryId' = ${delivery.id} and state in ('created', 'retry', 'active')`,
      );
      expect(pending[0]!.count).toBe(0);
      const [endpointAfter] = await app
        .db()
        .select()
        .from(webhookEndpoints)
        .where(eq(webhookEndpoints.id, endpoint.id));
      expect(endpointAfter!.consecutiveFailures).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it("signs with both secrets for 24 hours after a rotation; admin's redelivery is a manual attempt", async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const endpoint = await newEndpoint(receiver.url, ["survey.answered"]);
      const page = app.url(`/staff/reglages/webhooks/${endpoint.id}`);
      const cookie = await signIn(app.url, "admin@example.com");

      const rotated = await postForm(page, { intent: "rotate" }, { cookie });
      expect(rotated.status).toBe(200);
      const newSecret = (await rotated.text()).match(/whsec_[A-Za-z0-9_-]{43}/)?.[0];
      expect(newSecret).toBeDefined();
      expect(newSecret).not.toBe(endpoint.secret);

      expect((await postForm(page, { intent: "test" }, { cookie })).status).toBe(200);
      const testEvent = await until(async () => receiver.received[0]);
      const signature = String(testEvent.headers["easy-exit-signature"]);
      expect(signature.match(/v1=/g)).toHaveLength(2);
      expect(verify(signature, testEvent.body, newSecret!)).toBe(true);
      expect(verify(signature, testEvent.body, endpoint.secret)).toBe(true);
      expect(testEvent.headers["easy-exit-event-type"]).toBe("webhook.test");

      // Redeliver from the log: the same event id, a second attempt marked manual.
      const [delivery] = await app
        .db()
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.endpointId, endpoint.id));
      const log = await getPage(page, cookie);
      expect(log.status).toBe(200);
      const html = await log.text();
      expect(html).toContain(delivery!.eventId);
      expect(html).toContain("Renvoyer");
      expect(
        (await postForm(page, { intent: "redeliver", deliveryId: delivery!.id }, { cookie }))
          .status,
      ).toBe(200);
      const attempts = await until(async () => {
        const rows = await attemptsOf(delivery!.id);
        return rows.length === 2 ? rows : undefined;
      });
      expect(attempts.map((attempt) => [attempt.attempt, attempt.trigger])).toEqual([
        [1, "manual"],
        [2, "manual"],
      ]);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1]!.headers["easy-exit-event-id"]).toBe(delivery!.eventId);

      // Every admin action is on the audit chain of the webhook settings, without the URL.
      const events = await app
        .db()
        .select({ type: auditEvents.type, data: auditEvents.data, actorId: auditEvents.actorId })
        .from(auditEvents)
        .where(eq(auditEvents.stream, "settings:webhooks"))
        .orderBy(asc(auditEvents.seq));
      const mine = events.filter(
        (event) => (event.data as { endpointId: string }).endpointId === endpoint.id,
      );
      expect(
        mine.map((event) => [
          event.type,
          (event.data as { action?: string; kind?: string }).action ??
            (event.data as { kind: string }).kind,
        ]),
      ).toEqual([
        ["webhook.endpoint_changed", "created"],
        ["webhook.endpoint_changed", "secret_rotated"],
        ["webhook.delivery_requested", "test"],
        ["webhook.delivery_requested", "redeliver"],
      ]);
      expect(mine.every((event) => event.actorId === adminId)).toBe(true);
      expect(JSON.stringify(mine)).not.toContain("127.0.0.1");
    } finally {
      await receiver.close();
    }
  });

  it("is admin's page alone, and refuses plain http:// in production", async () => {
    const operations = await signIn(app.url, "ops@example.com");
    expect((await getPage(app.url("/staff/reglages/webhooks"), operations)).status).toBe(403);
    const admin = await signIn(app.url, "admin@example.com");
    const refused = await postForm(
      app.url("/staff/reglages/webhooks"),
      { intent: "create", url: "http://example.com/hooks", eventTypes: "case.notified" },
      { cookie: admin },
    );
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("L’adresse doit commencer par https://.");
    const form = new URLSearchParams([
      ["intent", "create"],
      ["url", "https://billing.example.com/hooks"],
      ["eventTypes", "case.notified"],
      ["eventTypes", "refund.issued"],
    ]);
    const created = await fetch(app.url("/staff/reglages/webhooks"), {
      method: "POST",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: new URL(app.url("/")).origin,
        Cookie: admin,
      },
      body: form,
    });
    expect(created.status).toBe(200);
    expect(await created.text()).toMatch(/whsec_[A-Za-z0-9_-]{43}/);
    const [row] = await app
      .db()
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.url, "https://billing.example.com/hooks"));
    expect(row!.eventTypes).toEqual(["case.notified", "refund.issued"]);
  });

  it("disables an endpoint failing for a day and emails every admin", async () => {
    const receiver = await startReceiver(() => 503);
    try {
      const endpoint = await newEndpoint(receiver.url, ["survey.answered"]);
      // The endpoint has been failing since two days ago: 19 failed attempts so far.
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600_000);
      const [old] = await app
        .db()
        .insert(webhookDeliveries)
        .values({
          endpointId: endpoint.id,
          eventId: crypto.randomUUID(),
          eventType: "survey.answered",
          payload: { id: "old" },
          status: "abandoned",
          attempts: 1,
          createdAt: twoDaysAgo,
        })
        .returning();
      await app.db().insert(webhookDeliveryAttempts).values({
        deliveryId: old!.id,
        attempt: 1,
        statusCode: 503,
        durationMs: 12,
        attemptedAt: twoDaysAgo,
      });
      await app
        .db()
        .update(webhookEndpoints)
        .set({ consecutiveFailures: 19 })
        .where(eq(webhookEndpoints.id, endpoint.id));

      // The 20th failure in a row disables it.
      await sendWebhookTest(
        { db: app.db(), jobs: app.portal().jobs },
        { staffId: adminId, meta },
        endpoint.id,
      );
      const disabled = await until(async () => {
        const [row] = await app
          .db()
          .select()
          .from(webhookEndpoints)
          .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.enabled, false)));
        return row;
      });
      expect(disabled.disabledReason).toBe("consecutive_failures");
      expect(disabled.consecutiveFailures).toBe(20);

      const admins = await app
        .db()
        .select({ email: staffUsers.email })
        .from(staffUsers)
        .where(and(eq(staffUsers.role, "admin"), sql`${staffUsers.disabledAt} is null`));
      for (const admin of admins) {
        const email = await app
          .smtp()
          .waitFor(
            (message) =>
              message.subject?.startsWith("Webhook désactivé") === true &&
              message.to !== undefined &&
              JSON.stringify(message.to).includes(admin.email),
          );
        expect(email.subject).toContain("Webhook disabled");
        expect(email.text).toContain(receiver.url);
        expect(email.text).toContain(`/staff/reglages/webhooks/${endpoint.id}`);
      }
      const [event] = await app
        .db()
        .select({ data: auditEvents.data, actorType: auditEvents.actorType })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.stream, "settings:webhooks"),
            eq(auditEvents.type, "webhook.endpoint_changed"),
            sql`${auditEvents.data}->>'action' = 'auto_disabled'`,
          ),
        );
      expect(event).toMatchObject({
        actorType: "system",
        data: { endpointId: endpoint.id, consecutiveFailures: 20 },
      });
    } finally {
      await receiver.close();
    }
  });

  it("creates deliveries only when the business transaction commits", async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const endpoint = await newEndpoint(receiver.url, ["case.withdrawn"]);
      const found = await withdrawableCase();
      const record = (tx: Parameters<typeof recordEvent>[0]) =>
        recordEvent(tx, {
          caseId: found.id,
          type: "case.withdrawn",
          actor: { type: "subscriber", id: null },
          meta,
          data: { reference: found.reference },
        });
      await expect(
        app.db().transaction(async (tx) => {
          await record(tx);
          throw new Error("the business change failed");
        }),
      ).rejects.toThrow("the business change failed");
      const deliveriesOf = () =>
        app
          .db()
          .select()
          .from(webhookDeliveries)
          .where(eq(webhookDeliveries.endpointId, endpoint.id));
      expect(await deliveriesOf()).toHaveLength(0);

      await app.db().transaction(async (tx) => {
        await record(tx);
      });
      const [delivery] = await deliveriesOf();
      expect(delivery).toMatchObject({ eventType: "case.withdrawn" });
      await until(async () => (receiver.received.length === 1 ? true : undefined));
      expect(receiver.received[0]!.headers["easy-exit-event-id"]).toBe(delivery!.eventId);
      // Other audit events (a staff read) send nothing.
      await recordEvent(app.db(), {
        caseId: found.id,
        type: "case.viewed",
        actor: { type: "staff", id: adminId },
        meta,
        data: { view: "detail" },
      });
      expect(await deliveriesOf()).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });
});
