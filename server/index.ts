import type { ViteDevServer } from "vite";
// The portal's process: `npm start` (production build) and `npm run dev` (Vite middleware).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { DEMO_STAFF, DEMO_STAFF_PASSWORD } from "../db/seed";
import { EnvError, parseEnv } from "../app/config/env.server";
import { createLogger } from "../app/config/logger.server";
import { startPortal } from "./portal";

const dev = process.argv.includes("--dev");

function readEnv() {
  try {
    return parseEnv({
      ...process.env,
      NODE_ENV: process.env.NODE_ENV ?? (dev ? "development" : "production"),
    });
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

const env = readEnv();
const logger = createLogger(env.LOG_LEVEL, process.stdout.isTTY);

// Handlers are installed before anything starts: without one, a signal kills the process on the
// spot (leaving the embedded Postgres behind). A signal during start-up stops once started.
let stopPortal: (() => Promise<void>) | undefined;
let signals = 0;
let closeVite: (() => Promise<void>) | undefined;
function shutdown(signal: NodeJS.Signals) {
  signals += 1;
  if (signals > 1) {
    logger.warn({ signal }, "second signal: exiting now");
    process.exit(1);
  }
  logger.info({ signal }, "shutting down: draining requests and jobs");
  if (stopPortal === undefined) return; // main() sees the signal once the portal is up
  stopPortal()
    .then(async () => {
      await closeVite?.();
      logger.info("stopped");
      process.exit(0);
    })
    .catch((error: unknown) => {
      logger.error({ err: error }, "error during shutdown");
      process.exit(1);
    });
}
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);

async function main() {
  let build: ServerBuild | undefined;
  let vite: ViteDevServer | undefined;
  if (dev) {
    const { createServer } = await import("vite");
    vite = await createServer({ server: { middlewareMode: true } });
  } else {
    const buildPath = path.resolve(env.REMIX_BUILD_DIR, "server/index.js");
    build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
  }

  const portal = await startPortal({ env, logger, build, vite });
  stopPortal = portal.stop;
  closeVite = vite ? () => vite.close() : undefined;
  if (signals > 0) {
    signals = 0;
    shutdown("SIGTERM");
    return;
  }

  console.log(
    `\n  Easy Exit is running at ${env.APP_URL === `http://localhost:${env.PORT}` ? portal.url : env.APP_URL}`,
  );
  if (env.usesEmbeddedDatabase)
    console.log(
      `  Database: embedded Postgres in ${path.resolve(env.DATA_DIR)} (set DATABASE_URL to use your own server)`,
    );
  if (env.SEED_ON_START) {
    console.log(
      `  Demo staff accounts (password "${DEMO_STAFF_PASSWORD}"): ${DEMO_STAFF.slice(0, 4)
        .map((s) => s.email)
        .join(", ")}`,
    );
  }
  console.log("  Press Ctrl-C to stop.\n");
}

main().catch((error: unknown) => {
  logger.debug({ err: error }, "the portal could not start");
  console.error(
    `\nEasy Exit could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
