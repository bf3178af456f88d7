import { lt } from "drizzle-orm";
import type postgres from "postgres";
import type { Db } from "../../db/client";
import {
  checkpointTakenSince,
  CheckpointRefusedError,
  takeCheckpoint,
} from "../audit/checkpoints.server";
import type { AuditSigner } from "../audit/signing.server";
import { staffPasswordResets, staffSessions } from "../../db/schema";
import type { Env } from "../config/env.server";
import type { Logger } from "../config/logger.server";
import type { Mailer } from "../mail/mailer.server";
import { ensureTerminationLetter } from "../services/ensure-termination-letter.server";
import { refreshAnalytics } from "../services/analytics/refresh-analytics.server";
import { applyRetention } from "../services/retention/apply-retention.server";
import { purgeExpiredIdempotencyKeys } from "../services/api/idempotency-keys.server";
import { markCasesEffective } from "../services/mark-cases-effective.server";
import { checkReturnDeadlines } from "../services/returns/check-return-deadlines.server";
import { ensureReturnLabel } from "../services/returns/ensure-return-label.server";
import { sendEmail } from "../services/send-email.server";
import { sendStaffLink } from "../services/staff/send-staff-link.server";
import { expireWinbackItems } from "../services/winback/actions.server";
import { winbackEmailStillWanted } from "../services/winback/email-values.server";
import { deliverWebhook } from "../services/webhooks/deliver-webhook.server";
import { notifyEndpointDisabled } from "../services/webhooks/notify-endpoint-disabled.server";
import {
  listenForWebhookDeliveries,
  sweepWebhookDeliveries,
} from "../services/webhooks/outbox.server";
import type { AppJobCatalogue } from "./catalogue";
import type { JobQueue } from "./job-queue.server";

export interface WorkerDeps {
  db: Db;
  logger: Logger;
  mailer: Mailer;
  env: Env;
  auditSigner: AuditSigner;
}

/** Starts every worker of the portal and its schedules (pg-boss cron: stored, once per cluster). */
export async function registerWorkers(
  jobs: JobQueue<AppJobCatalogue>,
  deps: WorkerDeps,
): Promise<void> {
  const { db, logger, env } = deps;

  await jobs.work("case.render-letter", async ({ caseId }) => {
    await ensureTerminationLetter(db, caseId, env.APP_URL);
  });
  const mailWorker =
    (kind: Parameters<typeof sendEmail>[1]["kind"]) =>
    async (
      target: { caseId: string } | { noticeId: string },
      job: { retryCount: number; retryLimit: number },
    ) => {
      await sendEmail(deps, {
        kind,
        target,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
      });
    };
  await jobs.work("case.send-acknowledgment", mailWorker("acknowledgment"), { concurrency: 2 });
  await jobs.work("case.send-withdrawal-confirmation", mailWorker("withdrawal_confirmation"));
  await jobs.work("case.send-ends-today", mailWorker("contract_ends_today"));
  await jobs.work("notice.send-acknowledgment", mailWorker("notice_received"));
  await jobs.work("notice.send-rejection", mailWorker("notice_rejected"));
  await jobs.work("staff.send-password-link", async (input) => {
    await sendStaffLink(deps, input);
  });

  await jobs.work("return.render-label", async ({ caseId }) => {
    await ensureReturnLabel(db, caseId);
  });
  const keyedMailWorker =
    (kind: Parameters<typeof sendEmail>[1]["kind"], keyOf: (data: never) => string) =>
    async (data: { caseId: string }, job: { retryCount: number; retryLimit: number }) => {
      await sendEmail(deps, {
        kind,
        target: { caseId: data.caseId },
        key: keyOf(data as never),
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
      });
    };
  await jobs.work(
    "return.send-receipt",
    keyedMailWorker("return_receipt", (data: { receptionId: string }) => data.receptionId),
  );
  await jobs.work(
    "return.send-reminder",
    keyedMailWorker("return_reminder", (data: { key: string }) => data.key),
  );
  await jobs.work("return.send-charged", mailWorker("return_charged"));
  await jobs.work(
    "refund.send-issued",
    keyedMailWorker("refund_issued", (data: { refundId: string }) => data.refundId),
  );
  await jobs.work("returns.check-deadlines", async () => {
    const run = await checkReturnDeadlines({ db, jobs });
    if (run.reminders + run.charged > 0) logger.info(run, "return deadlines checked");
  });
  await jobs.boss.schedule("returns.check-deadlines", "25 * * * *", {}, { tz: "Europe/Paris" });

  await jobs.work("analytics.refresh", async () => {
    const run = await refreshAnalytics(db);
    logger.debug({ durationMs: run.durationMs }, "analytics rollups refreshed");
  });
  await jobs.boss.schedule("analytics.refresh", "*/5 * * * *", {}, { tz: "Europe/Paris" });
  // Once at start as well: a fresh portal (demo data just seeded) shows figures at once.
  await jobs.enqueue(db, "analytics.refresh", {});

  const winbackMail = keyedMailWorker("winback", (data: { attemptId: string }) => data.attemptId);
  await jobs.work("winback.send-email", async (data, job) => {
    if (await winbackEmailStillWanted(db, data.attemptId)) await winbackMail(data, job);
    else logger.info({ attemptId: data.attemptId }, "retention email dropped: contact stopped");
  });
  await jobs.work("winback.expire-items", async () => {
    const count = await expireWinbackItems(db);
    if (count > 0) logger.info({ count }, "win-back items expired");
  });
  await jobs.boss.schedule("winback.expire-items", "35 * * * *", {}, { tz: "Europe/Paris" });

  await jobs.work("cases.mark-effective", async () => {
    const count = await markCasesEffective({ db, jobs });
    if (count > 0) logger.info({ count }, "cases became effective");
  });
  await jobs.boss.schedule("cases.mark-effective", "5 * * * *", {}, { tz: "Europe/Paris" });

  await jobs.work("retention.apply", async () => {
    await applyRetention({ db, logger, trigger: "job" });
  });
  await jobs.boss.schedule("retention.apply", "30 3 * * *", {}, { tz: "Europe/Paris" });

  await jobs.work("audit.checkpoint", async () => {
    try {
      const { checkpoint, changedStreams } = await takeCheckpoint(db, deps.auditSigner);
      logger.info(
        { checkpointId: checkpoint.id, streams: checkpoint.streams, changedStreams },
        "audit checkpoint signed",
      );
    } catch (error) {
      // Events covered by the latest checkpoint are gone: signing the new state would hide it.
      // Nothing a retry can fix; the compliance page and `npm run audit:verify` name the chains.
      if (!(error instanceof CheckpointRefusedError)) throw error;
      logger.error(
        {
          checkpointId: error.checkpointId,
          missingHeads: error.missing.length,
          stream: error.missing[0]!.stream,
        },
        "audit checkpoint refused: events covered by the latest checkpoint were deleted or changed",
      );
    }
  });
  await jobs.boss.schedule("audit.checkpoint", "5 * * * *", {}, { tz: "Europe/Paris" });
  // A portal that was down over the hour signs at once rather than at the next minute 5.
  if (!(await checkpointTakenSince(db, new Date(Date.now() - 60 * 60 * 1000))))
    await jobs.enqueue(db, "audit.checkpoint", {});

  // Webhooks (issue #9): first attempts are queued when a delivery commits (LISTEN), retries by
  // the deliver worker itself, and a sweep every minute catches what a reconnection missed.
  await listenForWebhookDeliveries({
    sql: (db as Db & { $client: postgres.Sql }).$client,
    db,
    jobs,
    onError: (error) => logger.error({ err: error }, "webhook sweep failed"),
  });
  const webhookDeps = {
    db,
    jobs,
    logger,
    baseDelaySeconds: env.JOB_RETRY_DELAY_SECONDS ?? 60,
  };
  await jobs.work(
    "webhook.deliver",
    async (input) => {
      await deliverWebhook(webhookDeps, input);
    },
    { concurrency: 2 },
  );
  await jobs.work("webhook.notify-disabled", async (input) => {
    await notifyEndpointDisabled(deps, input);
  });
  await jobs.work("webhooks.sweep", async () => {
    const queued = await sweepWebhookDeliveries(db, jobs);
    if (queued > 0) logger.info({ queued }, "webhook deliveries queued by the sweep");
  });
  await jobs.boss.schedule("webhooks.sweep", "* * * * *", {}, { tz: "Europe/Paris" });

  await jobs.work("maintenance.purge-expired", async () => {
    const now = new Date();
    const sessions = await db
      .delete(staffSessions)
      .where(lt(staffSessions.expiresAt, now))
      .returning({ id: staffSessions.tokenHash });
    const resets = await db
      .delete(staffPasswordResets)
      .where(lt(staffPasswordResets.expiresAt, now))
      .returning({ id: staffPasswordResets.tokenHash });
    const idempotencyKeys = await purgeExpiredIdempotencyKeys(db, now);
    logger.info(
      { sessions: sessions.length, resets: resets.length, idempotencyKeys },
      "expired sessions purged",
    );
  });
  await jobs.boss.schedule("maintenance.purge-expired", "17 * * * *", {}, { tz: "Europe/Paris" });
}
