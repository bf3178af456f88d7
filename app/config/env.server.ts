import { createPrivateKey } from "node:crypto";
import { z } from "zod";
import { createAuditSigner, type AuditSigner } from "../audit/signing.server";

// The whole environment, parsed once at start. A bad value stops the process with one line
// naming the variable (see formatEnvError); nothing here reaches the browser.

/** The session secret of development, tests and the embedded demo (never of a real deployment). */
export const DEVELOPMENT_SESSION_SECRET = "development-only-secret-change-me-0123456789";

/** Variables whose value is never echoed in an error message. */
const SECRET_VARIABLES = new Set(["SESSION_SECRET", "AUDIT_SIGNING_KEY"]);

/**
 * AUDIT_SIGNING_KEY: an Ed25519 private key, PKCS#8 PEM, whose newlines may be written `\n`
 * (docs/decisions/009). Normalised to real newlines; a bad value is one readable issue.
 */
const AuditSigningKey = z.string().transform((value, ctx) => {
  const pem = value.includes("\\n") ? value.replace(/\\n/g, "\n") : value;
  let type: string | undefined;
  try {
    type = createPrivateKey(pem).asymmetricKeyType;
  } catch {
    ctx.addIssue({
      code: "custom",
      message:
        "must be an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----…), e.g. from `openssl genpkey -algorithm ed25519`; this value could not be read",
    });
    return z.NEVER;
  }
  if (type !== "ed25519") {
    ctx.addIssue({
      code: "custom",
      message: `must be an Ed25519 private key (this one is ${type ?? "of an unknown type"}); create one with \`openssl genpkey -algorithm ed25519\``,
    });
    return z.NEVER;
  }
  return pem;
});

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
    /** Signs audit checkpoints and export manifests; derived from SESSION_SECRET when unset. */
    AUDIT_SIGNING_KEY: AuditSigningKey.optional(),
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
    if (production && env.DATABASE_URL !== undefined && env.AUDIT_SIGNING_KEY === undefined) {
      // A key derived from the session secret would change with it, and anyone who knows the
      // secret could sign checkpoints: a deployment keeps its own key (rotation: decision 009).
      ctx.addIssue({
        code: "custom",
        path: ["AUDIT_SIGNING_KEY"],
        message:
          "is required in production (an Ed25519 private key in PKCS#8 PEM: `openssl genpkey -algorithm ed25519`)",
      });
    }
    return {
      ...env,
      APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}`,
      // Development default only: a production deployment with its own database must set one.
      SESSION_SECRET: env.SESSION_SECRET ?? DEVELOPMENT_SESSION_SECRET,
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
        raw === undefined || SECRET_VARIABLES.has(key)
          ? ""
          : ` (got ${JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw)})`;
      return `Invalid environment variable ${key}: ${issue.message}${got}`;
    })
    .join("\n");
}

/** The key that signs this deployment's audit checkpoints and export manifests. */
export function auditSignerFor(
  env: Pick<Env, "AUDIT_SIGNING_KEY" | "SESSION_SECRET">,
): AuditSigner {
  return createAuditSigner({
    signingKeyPem: env.AUDIT_SIGNING_KEY,
    sessionSecret: env.SESSION_SECRET,
  });
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
