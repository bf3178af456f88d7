import type { Db } from "../db/client";
import type { AuditSigner } from "./audit/signing.server";
import type { RequestMeta } from "./audit/events";
import type { Env } from "./config/env.server";
import type { Logger } from "./config/logger.server";
import type { AppJobCatalogue } from "./jobs/catalogue";
import type { JobQueue } from "./jobs/job-queue.server";
import type { Mailer } from "./mail/mailer.server";

/** What every loader and action receives, built per request by the server (server/app.ts). */
export interface AppContext {
  db: Db;
  jobs: JobQueue<AppJobCatalogue>;
  /** Outgoing email (SMTP_URL, or the development mailbox). */
  mailer: Mailer;
  env: Env;
  /** The Ed25519 key that signs audit checkpoints and export manifests (decision 009). */
  auditSigner: AuditSigner;
  logger: Logger;
  /** Nonce of this response's Content-Security-Policy, for the few scripts Remix inlines. */
  cspNonce: string;
  requestMeta: RequestMeta;
}

declare module "@remix-run/server-runtime" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
