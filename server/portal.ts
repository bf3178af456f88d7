import type { ViteDevServer } from "vite";
import type { Server } from "node:http";
import type { ServerBuild } from "@remix-run/node";
import { createDatabaseClient, type DatabaseClient } from "../db/client";
import { runMigrations } from "../db/migrate";
import { seedDemoData } from "../db/seed";
import type { AuditSigner } from "../app/audit/signing.server";
import { auditSignerFor, type Env } from "../app/config/env.server";
import type { Logger } from "../app/config/logger.server";
import { jobCatalogue, type AppJobCatalogue } from "../app/jobs/catalogue";
import { JobQueue } from "../app/jobs/job-queue.server";
import { registerWorkers } from "../app/jobs/workers.server";
import { createMailer, type Mailer } from "../app/mail/mailer.server";
import { closeServer, createHttpApp, listen } from "./app";
import { openPostgres } from "./postgres";

export interface Portal {
  url: string;
  server: Server;
  database: DatabaseClient;
  jobs: JobQueue<AppJobCatalogue>;
  mailer: Mailer;
  auditSigner: AuditSigner;
  seeded: boolean;
  stop(): Promise<void>;
}

export interface StartPortalOptions {
  env: Env;
  logger: Logger;
  build?: ServerBuild;
  vite?: ViteDevServer;
}

export async function startPortal({
  env,
  logger,
  build,
  vite,
}: StartPortalOptions): Promise<Portal> {
  const postgresServer = await openPostgres(env, logger);
  const { url } = postgresServer;

  const cleanups: (() => Promise<void>)[] = [];
  const auditSigner = auditSignerFor(env);
  try {
    await runMigrations(url);
    const database = createDatabaseClient(url);
    cleanups.push(() => database.close());

    let seeded = false;
    if (env.SEED_ON_START) {
      const result = await seedDemoData(database.db, {
        linkSecret: env.SESSION_SECRET,
        signer: auditSigner,
      });
      seeded = result.created;
      if (seeded)
        logger.info({ subscribers: result.subscribers, cases: result.cases }, "demo data created");
    }

    const mailer = await createMailer(env, logger);
    cleanups.unshift(() => mailer.close());
    const jobs = new JobQueue({
      url,
      catalogue: jobCatalogue,
      logger,
      retryDelaySeconds: env.JOB_RETRY_DELAY_SECONDS,
    });
    await jobs.start();
    cleanups.unshift(() => jobs.stop());
    await registerWorkers(jobs, { db: database.db, logger, mailer, env, auditSigner });

    const app = createHttpApp({
      env,
      db: database.db,
      jobs,
      mailer,
      auditSigner,
      logger,
      build,
      vite,
    });
    const server = await listen(app, env.PORT, env.HOST);
    const address = server.address();
    const port = typeof address === "object" && address !== null ? address.port : env.PORT;

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await closeServer(server);
        for (const cleanup of cleanups) await cleanup();
        await postgresServer.stop();
      })();
      return stopping;
    };
    return {
      url: `http://localhost:${port}`,
      server,
      database,
      jobs,
      mailer,
      auditSigner,
      seeded,
      stop,
    };
  } catch (error) {
    for (const cleanup of cleanups)
      await cleanup().catch((cleanupError: unknown) =>
        logger.warn({ err: cleanupError }, "cleanup after a failed start"),
      );
    await postgresServer.stop();
    throw error;
  }
}
