import { createServer } from "node:net";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditSignerFor, parseEnv } from "../../app/config/env.server";
import { createLogger } from "../../app/config/logger.server";
import { jobCatalogue } from "../../app/jobs/catalogue";
import { JobQueue } from "../../app/jobs/job-queue.server";
import { registerWorkers } from "../../app/jobs/workers.server";
import { createMailer, type Mailer } from "../../app/mail/mailer.server";
import { markCasesEffective } from "../../app/services/mark-cases-effective.server";
import { notifyCancellation } from "../../app/services/notify-cancellation.server";
import { verifyCaseChain } from "../../app/audit/verify-chain.server";
import { auditEvents, cancellationCases, contracts, emailMessages } from "../../db/schema";
import { addMonths, dateInZone } from "../../app/domain/dates";
import { insertContract, insertOperator, insertSubscriber } from "../factories";
import { startTestSmtp, type TestSmtp } from "../setup/smtp";
import { setupTestDatabase, workerDatabaseUrl } from "../setup/test-db";

// SMTP is down when the subscriber notifies: the case exists at once, and the acknowledgment is
// delivered once SMTP is back — exactly once.
const db = setupTestDatabase();
const SECRET = "email-delivery-test-secret-0123456789";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

let port: number;
let mailer: Mailer;
let jobs: JobQueue<typeof jobCatalogue>;
let smtp: TestSmtp | undefined;
const logger = createLogger("silent");

beforeAll(async () => {
  port = await freePort(); // nothing listens there yet: SMTP is down
  const env = parseEnv({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    SESSION_SECRET: SECRET,
    APP_URL: "http://localhost:3000",
    JOB_RETRY_DELAY_SECONDS: "1",
  });
  mailer = await createMailer(env, logger);
  jobs = new JobQueue({
    url: workerDatabaseUrl(),
    catalogue: jobCatalogue,
    logger,
    pollingIntervalSeconds: 0.5,
    retryDelaySeconds: 1,
  });
  await jobs.start();
  await registerWorkers(jobs, { db, logger, mailer, env, auditSigner: auditSignerFor(env) });
  // Starting the workers signs a catch-up audit checkpoint (none in the last hour): let it
  // finish before the tables are emptied for the test, or the two lock each other.
  await until(async () => {
    const pending = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = 'audit.checkpoint' and state in ('created', 'retry', 'active')`,
    );
    return pending[0]!.n === 0 ? true : undefined;
  });
});
afterAll(async () => {
  await jobs.stop();
  await mailer.close();
  await smtp?.close();
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("acknowledgment email", { timeout: 90_000 }, () => {
  it("is delivered exactly once after an SMTP outage, every attempt audited", async () => {
    // A subscriber of her own (not the demo's year of cases, whose "ends today" emails would
    // queue ahead of hers): a fibre contract in its commitment, as Camille Martin's.
    const operator = await insertOperator(db);
    const camille = await insertSubscriber(db, {
      operatorId: operator.id,
      firstName: "Camille",
      lastName: "Martin",
    });
    const fibre = await insertContract(db, {
      operatorId: operator.id,
      subscriberId: camille.id,
      startDate: addMonths(dateInZone(new Date(), operator.timeZone), -8),
      commitmentMonths: 24,
    });
    const result = await notifyCancellation(
      { db, jobs, secret: SECRET },
      {
        subscriberId: camille.id,
        contractIds: [fibre.id],
        acknowledgmentEmail: "camille.martin@example.com",
        endDate: { kind: "earliest" },
        legitimateReason: null,
        proof: null,
        idempotencyKey: "smtp-outage-journey-0001",
        language: "fr",
        identifiedAt: new Date(),
        summaryShownAt: new Date(),
        meta: { ip: "198.51.100.4", userAgent: "test" },
      },
    );
    if (result.kind !== "notified") throw new Error(`unexpected ${result.kind}`);
    const where = and(
      eq(emailMessages.caseId, result.caseId),
      eq(emailMessages.kind, "acknowledgment"),
    );

    // At least one attempt fails while nothing listens.
    await until(async () => {
      const [message] = await db.select().from(emailMessages).where(where);
      return message && message.attempts >= 1 ? message : undefined;
    });
    const [failing] = await db.select().from(emailMessages).where(where);
    expect(failing).toMatchObject({ status: "queued", lastError: "esocket" }); // nodemailer: connection refused

    smtp = await startTestSmtp(port); // SMTP is back
    const email = await smtp.waitFor(
      (message) => message.subject?.includes(result.reference) ?? false,
      30_000,
    );
    expect(email.attachments.map((attachment) => attachment.contentType)).toEqual([
      "application/pdf",
    ]);
    const sent = await until(async () => {
      const [message] = await db.select().from(emailMessages).where(where);
      return message?.status === "sent" ? message : undefined;
    });
    expect(sent.attempts).toBeGreaterThanOrEqual(2);
    expect(
      smtp.messages.filter((message) => message.subject?.includes(result.reference)),
    ).toHaveLength(1);

    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.caseId, result.caseId), eq(auditEvents.type, "email.attempted")));
    const outcomes = events.map((event) => (event.data as { outcome: string }).outcome);
    expect(outcomes.filter((outcome) => outcome === "sent")).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === "failed").length).toBeGreaterThanOrEqual(1);
    expect(await verifyCaseChain(db, result.caseId)).toMatchObject({ ok: true });

    // The case becomes effective on its end date, not before.
    const [row] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, result.caseId));
    const dayBefore = new Date(
      new Date(`${row!.effectiveEndDate}T12:00:00Z`).getTime() - 86_400_000,
    );
    await markCasesEffective({ db, jobs, now: () => dayBefore });
    expect(
      (await db.select().from(cancellationCases).where(eq(cancellationCases.id, result.caseId)))[0]!
        .status,
    ).toBe("received");
    expect(
      await markCasesEffective({
        db,
        jobs,
        now: () => new Date(`${row!.effectiveEndDate}T08:00:00Z`),
      }),
    ).toBe(1);
    const [effective] = await db
      .select()
      .from(cancellationCases)
      .where(eq(cancellationCases.id, result.caseId));
    expect(effective!.status).toBe("effective");
    const [ended] = await db.select().from(contracts).where(eq(contracts.id, fibre.id));
    expect(ended!.status).toBe("terminated");
    await smtp.waitFor(
      (message) => message.subject === `Votre contrat prend fin aujourd’hui (${result.reference})`,
      30_000,
    );
    expect(
      await markCasesEffective({
        db,
        jobs,
        now: () => new Date(`${row!.effectiveEndDate}T09:00:00Z`),
      }),
    ).toBe(0);
    expect(await verifyCaseChain(db, result.caseId)).toMatchObject({ ok: true });
  });
});
