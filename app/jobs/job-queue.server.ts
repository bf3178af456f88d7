import PgBoss from "pg-boss";
import type postgres from "postgres";
import type { z } from "zod";
import type { Queryable } from "../../db/client";
import type { Logger } from "../config/logger.server";

// pg-boss in the application database. A job is enqueued with the business transaction's own
// connection, so it exists if and only if that transaction commits (no lost or phantom jobs).

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  schema: S;
  /** Retries with exponential backoff: delays of retryDelay, 2×, 4× … seconds. */
  retryLimit: number;
  retryDelaySeconds: number;
  expireInSeconds?: number;
}

export type JobCatalogue = Record<string, JobDefinition>;
export type JobData<C extends JobCatalogue, N extends keyof C> = z.infer<C[N]["schema"]>;

export function defineJob<S extends z.ZodType>(
  schema: S,
  options: Omit<JobDefinition<S>, "schema">,
): JobDefinition<S> {
  return { schema, ...options };
}

export interface JobContext {
  id: string;
  /** 0 on the first try, 1 on the first retry … */
  retryCount: number;
  retryLimit: number;
}

export type JobHandler<C extends JobCatalogue, N extends keyof C> = (
  data: JobData<C, N>,
  job: JobContext,
) => Promise<void>;

/** pg-boss writes for `pg`, which sends undefined as NULL and plain objects as JSON text. */
function asPgParameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Date) &&
    !Buffer.isBuffer(value) &&
    !Array.isArray(value)
  ) {
    return JSON.stringify(value);
  }
  return value;
}

/** Runs pg-boss statements on the caller's connection (a drizzle transaction or pool). */
function executorFor(db: Queryable): PgBoss.Db {
  // drizzle's postgres-js session keeps the postgres.js client (inside a transaction: the
  // transaction's own connection). Covered by the "job exists iff the transaction commits" test.
  const client = (db._.session as unknown as { client: postgres.Sql }).client;
  return {
    executeSql: async (text, values) => ({
      rows: await client.unsafe(
        text,
        values.map(asPgParameter) as postgres.ParameterOrJSON<never>[],
      ),
    }),
  };
}

export interface JobQueueOptions<C extends JobCatalogue> {
  url: string;
  catalogue: C;
  logger: Logger;
  /** How often idle workers look for jobs (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds?: number;
  /** Overrides every job's first retry delay (tests, outage demos). */
  retryDelaySeconds?: number;
}

export class JobQueue<C extends JobCatalogue> {
  readonly boss: PgBoss;
  private readonly catalogue: C;
  private readonly logger: Logger;
  private readonly polling: number;
  private readonly retryDelayOverride: number | undefined;

  constructor(options: JobQueueOptions<C>) {
    this.catalogue = options.catalogue;
    this.logger = options.logger;
    this.polling = options.pollingIntervalSeconds ?? 1;
    this.retryDelayOverride = options.retryDelaySeconds;
    this.boss = new PgBoss({
      connectionString: options.url,
      schema: "pgboss",
      max: 4,
      application_name: "easy-exit-jobs",
    });
    this.boss.on("error", (error: Error) => this.logger.error({ err: error }, "job queue error"));
  }

  async start(): Promise<void> {
    await this.boss.start();
    for (const [name, definition] of Object.entries(this.catalogue)) {
      const queue: PgBoss.Queue = {
        name,
        retryLimit: definition.retryLimit,
        retryDelay: this.retryDelayOverride ?? definition.retryDelaySeconds,
        retryBackoff: true,
        // Jobs waiting (e.g. emails while SMTP is down) are kept a month, not pg-boss's 14 days.
        retentionDays: 30,
        expireInSeconds: definition.expireInSeconds ?? 15 * 60,
      };
      if ((await this.boss.getQueue(name)) === null) await this.boss.createQueue(name, queue);
      else await this.boss.updateQueue(name, queue);
    }
  }

  /** Enqueue inside the business transaction: pass the drizzle `tx`. Returns the job id. */
  async enqueue<N extends keyof C & string>(
    db: Queryable,
    name: N,
    data: JobData<C, N>,
    options: { startAfter?: Date; singletonKey?: string } = {},
  ): Promise<string> {
    const definition = this.definition(name);
    const payload = definition.schema.parse(data) as object;
    const id = await this.boss.send(name, payload, {
      db: executorFor(db),
      retryLimit: definition.retryLimit,
      retryDelay: this.retryDelayOverride ?? definition.retryDelaySeconds,
      retryBackoff: true,
      retentionDays: 30,
      ...options,
    });
    if (id === null) throw new Error(`job ${name} was not enqueued (duplicate singleton key?)`);
    return id;
  }

  /**
   * Enqueue a job with a chosen id (a uuid): a second enqueue of the same id is a no-op (false),
   * so a sweep can re-enqueue work that may already be queued without doubling it.
   */
  async enqueueOnce<N extends keyof C & string>(
    db: Queryable,
    name: N,
    data: JobData<C, N>,
    id: string,
  ): Promise<boolean> {
    const definition = this.definition(name);
    const payload = definition.schema.parse(data) as object;
    const created = await this.boss.send(name, payload, {
      db: executorFor(db),
      id,
      retryLimit: definition.retryLimit,
      retryDelay: this.retryDelayOverride ?? definition.retryDelaySeconds,
      retryBackoff: true,
      retentionDays: 30,
    });
    return created !== null;
  }

  /** Registers a worker. A thrown error fails the attempt; pg-boss retries it with backoff. */
  async work<N extends keyof C & string>(
    name: N,
    handler: JobHandler<C, N>,
    options: { concurrency?: number } = {},
  ): Promise<void> {
    const definition = this.definition(name);
    for (let worker = 0; worker < (options.concurrency ?? 1); worker += 1) {
      await this.boss.work(
        name,
        { batchSize: 1, pollingIntervalSeconds: this.polling, includeMetadata: true },
        async (jobs) => {
          for (const job of jobs as PgBoss.JobWithMetadata<object>[]) {
            const data = definition.schema.parse(job.data) as JobData<C, N>;
            try {
              await handler(data, {
                id: job.id,
                retryCount: job.retryCount,
                retryLimit: job.retryLimit,
              });
            } catch (error) {
              this.logger.warn(
                { job: name, jobId: job.id, retryCount: job.retryCount, err: error },
                "job attempt failed",
              );
              throw error;
            }
          }
        },
      );
    }
  }

  /** Stops taking jobs, waits for running ones (up to `timeoutMs`), closes the pool. */
  async stop(timeoutMs = 20_000): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
  }

  private definition(name: string): JobDefinition {
    const definition = this.catalogue[name];
    if (definition === undefined) throw new Error(`unknown job ${name}`);
    return definition;
  }
}
