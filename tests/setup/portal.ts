import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, inject } from "vitest";
import { parseEnv } from "../../app/config/env.server";
import { createLogger } from "../../app/config/logger.server";
import { startPortal, type Portal } from "../../server/portal";
import { startTestSmtp, type TestSmtp } from "./smtp";
import { PORTAL_TEST_AUDIT_KEY, PORTAL_TEST_SECRET } from "./databases";
import { setupOwnDatabase } from "./test-db";

/**
 * A running portal for one test file: the production build, a database of its own cloned from
 * the run's seeded template (the demo data, seeded once by the global setup), and a real SMTP
 * server it sends to.
 */
export function setupPortal(label: string) {
  const database = setupOwnDatabase(label, { from: "seeded" });
  let portal: Portal | undefined;
  let smtp: TestSmtp | undefined;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    const buildDir = inject("buildDir");
    const build = (await import(
      pathToFileURL(path.join(buildDir, "server/index.js")).href
    )) as ServerBuild;
    const env = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: database.url(),
      PORT: "0",
      HOST: "127.0.0.1",
      APP_URL: "http://localhost",
      SESSION_SECRET: PORTAL_TEST_SECRET,
      AUDIT_SIGNING_KEY: PORTAL_TEST_AUDIT_KEY,
      SEED_ON_START: "true",
      LOG_LEVEL: "silent",
      REMIX_BUILD_DIR: buildDir,
      SMTP_URL: smtp.url,
      JOB_RETRY_DELAY_SECONDS: "1",
    });
    portal = await startPortal({ env, logger: createLogger("silent"), build });
  });
  afterAll(async () => {
    await portal?.stop();
    await smtp?.close();
  });

  return {
    url: (pathname = "/") => new URL(pathname, portal!.url).toString(),
    portal: () => portal!,
    db: () => portal!.database.db,
    /** The URL of the portal's database (for command-line tools run as child processes). */
    databaseUrl: () => database.url(),
    /** The SMTP server the portal sends to. */
    smtp: () => smtp!,
  };
}
