import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "../db/embedded";
import type { Env } from "../app/config/env.server";
import type { Logger } from "../app/config/logger.server";

export interface PostgresServer {
  url: string;
  /** Stops the embedded server (if we started one) and releases the data folder. */
  stop(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * One portal per data folder: a second `npm start` beside a running one would otherwise stop
 * the first one's database. A lock left by a killed process is simply taken over.
 */
function takeDataLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, "portal.pid");
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8").trim());
    if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
      const cmdline = existsSync(`/proc/${pid}/cmdline`)
        ? readFileSync(`/proc/${pid}/cmdline`, "utf8")
        : "node";
      if (cmdline.includes("node")) {
        throw new Error(
          `Another Easy Exit (pid ${pid}) is running with ${dataDir}: stop it first, or set DATA_DIR to another folder.`,
        );
      }
    }
  }
  writeFileSync(lock, String(process.pid));
  return () => {
    if (existsSync(lock) && readFileSync(lock, "utf8").trim() === String(process.pid)) rmSync(lock);
  };
}

/** The database the portal and its CLIs use: DATABASE_URL, or the embedded Postgres in DATA_DIR. */
export async function openPostgres(env: Env, logger: Logger): Promise<PostgresServer> {
  if (env.DATABASE_URL !== undefined) return { url: env.DATABASE_URL, stop: async () => undefined };
  const releaseLock = takeDataLock(env.DATA_DIR);
  try {
    const embedded = await startEmbeddedPostgres({
      dataDir: env.DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
      logger,
    });
    logger.info({ port: embedded.port, dataDir: env.DATA_DIR }, "embedded Postgres ready");
    return {
      url: embedded.url,
      stop: async () => {
        await embedded.stop();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}
