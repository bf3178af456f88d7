import { z } from "zod";

// The whole environment, parsed once at start. A bad value stops the process with one line
// naming the variable (see formatEnvError); nothing here reaches the browser.
const booleanish = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce
      .number({ error: "must be a port number (0 to 65535)" })
      .int()
      .min(0)
      .max(65535)
      .default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    APP_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
    DATA_DIR: z.string().min(1).default(".data"),
    /** Where `remix vite:build` wrote the app (also read by remix.config.js). */
    REMIX_BUILD_DIR: z.string().min(1).default("build"),
    EMBEDDED_PG_PORT: z.coerce
      .number({ error: "must be a port number (1024 to 65535)" })
      .int()
      .min(1024)
      .max(65535)
      .default(54329),
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Nébula Télécom <no-reply@nebula-telecom.example>"),
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info"),
    /** Seed the demo data into an empty database; default: only with the embedded database. */
    SEED_ON_START: booleanish.optional(),
    TRUST_PROXY: booleanish.default(false),
    /** First retry delay of every job, overriding the catalogue (tests and demos of outages). */
    JOB_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  })
  .transform((env, ctx) => {
    const production = env.NODE_ENV === "production";
    if (production && env.APP_URL === undefined && env.DATABASE_URL !== undefined) {
      ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production" });
    }
    if (production && env.DATABASE_URL !== undefined && env.SMTP_URL === undefined) {
      // The development mailbox would swallow real subscribers' acknowledgments.
      ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "is required in production" });
    }
    if (production && env.DATABASE_URL !== undefined && env.SESSION_SECRET === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required in production",
      });
    }
    return {
      ...env,
      APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
      // Development default only: a production deployment with its own database must set one.
      SESSION_SECRET: env.SESSION_SECRET ?? "development-only-secret-change-me-0123456789",
      // The embedded database is a demo/dev convenience: with DATABASE_URL it starts nothing.
      usesEmbeddedDatabase: env.DATABASE_URL === undefined,
      SEED_ON_START: env.SEED_ON_START ?? env.DATABASE_URL === undefined,
    };
  });

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

/** One readable line per bad variable, e.g. `PORT: expected a number (got "abc")`. */
export function formatEnvError(
  error: z.ZodError,
  source: Record<string, string | undefined>,
): string {
  return error.issues
    .map((issue) => {
      const key = String(issue.path[0] ?? "environment");
      const raw = source[key];
      const got =
        raw === undefined
          ? ""
          : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)})`;
      return `Invalid environment variable ${key}: ${issue.message}${got}`;
    })
    .join("\n");
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Empty strings count as unset, as in most deployment tools.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) throw new EnvError(formatEnvError(result.error, cleaned));
  return result.data;
}
