import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLogger } from "../../app/config/logger.server";
import { defineJob, JobQueue } from "../../app/jobs/job-queue.server";
import { setupTestDatabase, workerDatabaseUrl } from "../setup/test-db";

const db = setupTestDatabase();
const catalogue = {
  "test.echo": defineJob(z.strictObject({ n: z.int() }), { retryLimit: 3, retryDelaySeconds: 1 }),
};
const queue = new JobQueue({
  url: workerDatabaseUrl(),
  catalogue,
  logger: createLogger("silent"),
  pollingIntervalSeconds: 0.5,
});

beforeAll(async () => {
  await queue.start();
  await queue.boss.purgeQueue("test.echo");
});
afterAll(async () => {
  await queue.stop();
});

async function jobState(id: string) {
  const rows = await db.execute<{ state: string; retry_count: number }>(
    sql`select state, retry_count from pgboss.job where id = ${id}`,
  );
  return rows[0];
}

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("job queue", () => {
  it("enqueues a job if and only if the business transaction commits", async () => {
    let rolledBackId: string | undefined;
    await expect(
      db.transaction(async (tx) => {
        rolledBackId = await queue.enqueue(tx, "test.echo", { n: 1 });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(rolledBackId).toBeDefined();
    expect(await jobState(rolledBackId!)).toBeUndefined();

    const committedId = await db.transaction((tx) => queue.enqueue(tx, "test.echo", { n: 2 }));
    expect(await jobState(committedId)).toMatchObject({ state: "created" });
  });

  it("validates the payload against the catalogue", async () => {
    // @ts-expect-error n must be an integer
    await expect(queue.enqueue(db, "test.echo", { n: "two" })).rejects.toThrow();
  });

  it("retries a failing job with backoff until it succeeds", async () => {
    const attempts: { n: number; retryCount: number; at: number }[] = [];
    await queue.work("test.echo", async (data, job) => {
      attempts.push({ n: data.n, retryCount: job.retryCount, at: Date.now() });
      if (job.retryCount < 2) throw new Error("smtp is down");
    });
    const id = await db.transaction((tx) => queue.enqueue(tx, "test.echo", { n: 7 }));
    await until(async () => ((await jobState(id))?.state === "completed" ? true : undefined));
    const mine = attempts.filter((attempt) => attempt.n === 7);
    expect(mine.map((attempt) => attempt.retryCount)).toEqual([0, 1, 2]);
    // Exponential backoff: the second wait is longer than the first.
    const firstWait = mine[1]!.at - mine[0]!.at;
    const secondWait = mine[2]!.at - mine[1]!.at;
    expect(firstWait).toBeGreaterThanOrEqual(900);
    expect(secondWait).toBeGreaterThan(firstWait);
  });
});
