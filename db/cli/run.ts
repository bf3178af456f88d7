// Shared start/stop for the command-line tools: the same environment and database as the portal.
import type { AuditSigner } from "../../app/audit/signing.server";
import { auditSignerFor, EnvError, parseEnv, type Env } from "../../app/config/env.server";
import { createLogger, type Logger } from "../../app/config/logger.server";
import { openPostgres } from "../../server/postgres";

export async function runCli(
  task: (context: {
    env: Env;
    logger: Logger;
    url: string;
    /** The deployment's audit signing key (AUDIT_SIGNING_KEY, or derived from SESSION_SECRET). */
    auditSigner: AuditSigner;
  }) => Promise<void>,
): Promise<void> {
  let env: Env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL);
  let server: Awaited<ReturnType<typeof openPostgres>> | undefined;
  try {
    server = await openPostgres(env, logger);
    await task({ env, logger, url: server.url, auditSigner: auditSignerFor(env) });
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  } finally {
    await server?.stop();
  }
}
