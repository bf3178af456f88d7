import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../../db/embedded";
import { createDatabaseClient } from "../../db/client";
import { runMigrations } from "../../db/migrate";
import { seedDemoData } from "../../db/seed";
import { createAuditSigner } from "../../app/audit/signing.server";
import { ensureTestBuild } from "./test-build";
import {
  PORTAL_TEST_AUDIT_KEY,
  PORTAL_TEST_SECRET,
  seededTemplateName,
  templateName,
  withDatabase,
  workerDatabaseName,
  WORKER_COUNT,
} from "./databases";

// Database strategy (HOUSE_STYLE 9): one migrated template database, one database per worker
// cloned from it, tables truncated between tests. With DATABASE_URL the databases live on that
// server; without it a throw-away embedded Postgres is started in a temporary folder.

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

export default async function setup(project: TestProject) {
  const runId = `${process.pid}_${Date.now().toString(36)}`;
  // Browser tests drive the production build (test-build.ts): built while the databases are
  // prepared, or reused when the sources have not changed since the last run.
  const building = ensureTestBuild(runId);
  // Settled at once so that a failure while seeding does not leave it unhandled; awaited below.
  building.catch(() => undefined);
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (adminUrl === undefined || adminUrl === "") {
    dataDir = mkdtempSync(path.join(tmpdir(), "easyexit-test-pg-"));
    embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      database: "postgres",
    });
    adminUrl = embedded.adminUrl;
  }

  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  const template = templateName(runId);
  await admin.unsafe(`create database "${template}"`);
  await runMigrations(withDatabase(adminUrl, template));
  // The demo data, seeded once (a few seconds) instead of by each test file's portal.
  const seeded = seededTemplateName(runId);
  await admin.unsafe(`create database "${seeded}" template "${template}"`);
  const seededClient = createDatabaseClient(withDatabase(adminUrl, seeded), { max: 4 });
  await seedDemoData(seededClient.db, {
    linkSecret: PORTAL_TEST_SECRET,
    signer: createAuditSigner({
      signingKeyPem: PORTAL_TEST_AUDIT_KEY,
      sessionSecret: PORTAL_TEST_SECRET,
    }),
  });
  await seededClient.close();
  for (let worker = 1; worker <= WORKER_COUNT; worker += 1) {
    await admin.unsafe(
      `create database "${workerDatabaseName(runId, worker)}" template "${template}"`,
    );
  }

  const buildDir = await building;

  project.provide("adminUrl", adminUrl);
  project.provide("runId", runId);
  project.provide("buildDir", buildDir);

  return async () => {
    const databases = await admin<
      { datname: string }[]
    >`select datname from pg_database where datname like ${`easyexit_test_${runId}%`}`;
    for (const { datname } of databases)
      await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    await admin.end({ timeout: 5 });
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
