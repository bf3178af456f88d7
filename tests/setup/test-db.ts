import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, inject } from "vitest";
import { createDatabaseClient, type Db } from "../../db/client";
import { truncateAppTables } from "../../db/seed";
import { createLogger } from "../../app/config/logger.server";
import { jobCatalogue, type AppJobCatalogue } from "../../app/jobs/catalogue";
import { JobQueue } from "../../app/jobs/job-queue.server";
import { seededTemplateName, templateName, withDatabase, workerDatabaseName } from "./databases";

/** This worker's own database (cloned from the migrated template by the global setup). */
export function workerDatabaseUrl(): string {
  const workerId = Number(process.env.VITEST_POOL_ID ?? "1");
  return withDatabase(inject("adminUrl"), workerDatabaseName(inject("runId"), workerId));
}

/**
 * Call at the top of a test file that touches the database: returns a drizzle handle on the
 * worker's database, empties every table before each test, and closes the pool after the file.
 */
export function setupTestDatabase(): Db {
  const client = createDatabaseClient(workerDatabaseUrl(), { max: 20 });
  beforeEach(async () => {
    await truncateAppTables(client.db);
  });
  afterAll(async () => {
    await client.close();
  });
  return client.db;
}

/**
 * A database of its own for a test file (browser journeys with seeded data, migration tests):
 * cloned from the migrated template, from the template with the demo data (`{ from: "seeded" }`),
 * or empty (`{ from: "empty" }`). Dropped after the file.
 */
export function setupOwnDatabase(
  label: string,
  options: { from?: "migrated" | "seeded" | "empty" } = {},
): { url: () => string } {
  const name = `easyexit_test_${inject("runId")}_${label}_${process.env.VITEST_POOL_ID ?? "1"}`;
  const admin = postgres(inject("adminUrl"), { max: 1, onnotice: () => undefined });
  const url = withDatabase(inject("adminUrl"), name);
  beforeAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    const from = options.from ?? "migrated";
    const template =
      from === "seeded" ? seededTemplateName(inject("runId")) : templateName(inject("runId"));
    await admin.unsafe(
      from === "empty"
        ? `create database "${name}"`
        : `create database "${name}" template "${template}"`,
    );
  });
  afterAll(async () => {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
  });
  return { url: () => url };
}

/**
 * The portal's job queue on this worker's database, started for the file and stopped after it.
 * No workers: tests read what was enqueued (`select … from pgboss.job`).
 */
export function setupAppJobQueue(): JobQueue<AppJobCatalogue> {
  const jobs = new JobQueue({
    url: workerDatabaseUrl(),
    catalogue: jobCatalogue,
    logger: createLogger("silent"),
  });
  beforeAll(async () => {
    await jobs.start();
  });
  afterAll(async () => {
    await jobs.stop();
  });
  return jobs;
}
