import { z } from "zod";
import { defineJob } from "./job-queue.server";
import { LANGUAGES } from "../i18n/i18n";

// Every background job of the portal, with its payload schema and retry policy.
const CaseJob = z.strictObject({ caseId: z.uuid() });

export const jobCatalogue = {
  // Render and store the termination letter of a new case.
  "case.render-letter": defineJob(CaseJob, { retryLimit: 10, retryDelaySeconds: 30 }),
  // Email the acknowledgment with the letter attached.
  "case.send-acknowledgment": defineJob(CaseJob, { retryLimit: 10, retryDelaySeconds: 30 }),
  // Email "your contract ends today" once the case is effective.
  "case.send-ends-today": defineJob(CaseJob, { retryLimit: 10, retryDelaySeconds: 30 }),
  // Every hour: cases whose end date has come become effective (catches up after downtime).
  "cases.mark-effective": defineJob(z.strictObject({}), { retryLimit: 3, retryDelaySeconds: 60 }),
  // Email the confirmation of a withdrawal.
  "case.send-withdrawal-confirmation": defineJob(CaseJob, {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Email "received, being matched" for an unmatched notice.
  "notice.send-acknowledgment": defineJob(z.strictObject({ noticeId: z.uuid() }), {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Email the notifier why their unmatched notice was rejected.
  "notice.send-rejection": defineJob(z.strictObject({ noticeId: z.uuid() }), {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Email a staff member the link to choose a password (new account or reset).
  "staff.send-password-link": defineJob(
    z.strictObject({
      staffUserId: z.uuid(),
      nonce: z.string().min(16).max(64),
      purpose: z.enum(["reset", "welcome"]),
      lang: z.enum(LANGUAGES),
    }),
    { retryLimit: 5, retryDelaySeconds: 20 },
  ),
  // Render and store the return label of a new case (also rendered on first download).
  "return.render-label": defineJob(CaseJob, { retryLimit: 10, retryDelaySeconds: 30 }),
  // Email the itemised receipt of one reception at the warehouse.
  "return.send-receipt": defineJob(z.strictObject({ caseId: z.uuid(), receptionId: z.uuid() }), {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Email the reminder 7 days or 1 day before the return deadline.
  "return.send-reminder": defineJob(
    z.strictObject({ caseId: z.uuid(), key: z.enum(["7d", "1d"]) }),
    { retryLimit: 10, retryDelaySeconds: 30 },
  ),
  // Email the statement of the non-return charge (offset against the deposit).
  "return.send-charged": defineJob(CaseJob, { retryLimit: 10, retryDelaySeconds: 30 }),
  // Email the subscriber that a refund was paid.
  "refund.send-issued": defineJob(z.strictObject({ caseId: z.uuid(), refundId: z.uuid() }), {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Every hour: reminders before return deadlines, charges after them (catches up after downtime).
  "returns.check-deadlines": defineJob(z.strictObject({}), {
    retryLimit: 3,
    retryDelaySeconds: 60,
  }),
  // Every 5 minutes: rebuild the rollups of the analytics dashboard (the next run catches up).
  "analytics.refresh": defineJob(z.strictObject({}), { retryLimit: 1, retryDelaySeconds: 60 }),
  // Email a retention offer after an agent's email attempt (with the "stop contacting me" link).
  "winback.send-email": defineJob(z.strictObject({ caseId: z.uuid(), attemptId: z.uuid() }), {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Every hour: win-back items older than the retention policy allows close themselves.
  "winback.expire-items": defineJob(z.strictObject({}), { retryLimit: 3, retryDelaySeconds: 60 }),
  // Every night at 03:30: pseudonymise the personal data the retention policy no longer allows.
  // Idempotent, so a retry after a crash finishes the work; a large backlog may take a while.
  "retention.apply": defineJob(z.strictObject({}), {
    retryLimit: 2,
    retryDelaySeconds: 300,
    expireInSeconds: 4 * 60 * 60,
  }),
  // Every hour at minute 5 (and at start if none in the last hour): sign a checkpoint over every
  // audit chain's head (decision 009). A refused checkpoint (events deleted) is logged, not retried.
  "audit.checkpoint": defineJob(z.strictObject({}), { retryLimit: 3, retryDelaySeconds: 60 }),
  // POST one webhook delivery (signed). A failed attempt is logged and the next one enqueued by
  // the worker itself (its own 3-day schedule), so pg-boss retries only unexpected errors.
  "webhook.deliver": defineJob(
    z.strictObject({ deliveryId: z.uuid(), trigger: z.enum(["automatic", "manual"]) }),
    { retryLimit: 3, retryDelaySeconds: 60 },
  ),
  // Email every admin that an endpoint was disabled after failing for a day.
  "webhook.notify-disabled": defineJob(z.strictObject({ endpointId: z.uuid() }), {
    retryLimit: 10,
    retryDelaySeconds: 30,
  }),
  // Every minute: queue the first attempt of deliveries recorded without a job queue at hand
  // (command-line tools); the job id is the delivery id, so nothing is sent twice.
  "webhooks.sweep": defineJob(z.strictObject({}), { retryLimit: 1, retryDelaySeconds: 60 }),
  // Removes expired staff sessions and password-reset links (hourly).
  "maintenance.purge-expired": defineJob(z.strictObject({}), {
    retryLimit: 3,
    retryDelaySeconds: 60,
  }),
};

export type AppJobCatalogue = typeof jobCatalogue;
