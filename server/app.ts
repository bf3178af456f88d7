import type { ViteDevServer } from "vite";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import path from "node:path";
import { createRequestHandler } from "./remix-handler";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import { sql } from "drizzle-orm";
import express, { type Request, type Response, type NextFunction } from "express";
import type { Db } from "../db/client";
import type { AuditSigner } from "../app/audit/signing.server";
import { shippedMigrationCount } from "../db/migrate";
import type { Env } from "../app/config/env.server";
import { loggablePath, type Logger } from "../app/config/logger.server";
import type { AppJobCatalogue } from "../app/jobs/catalogue";
import type { JobQueue } from "../app/jobs/job-queue.server";
import type { Mailer } from "../app/mail/mailer.server";

export interface HttpAppOptions {
  env: Env;
  db: Db;
  jobs: JobQueue<AppJobCatalogue>;
  mailer: Mailer;
  auditSigner: AuditSigner;
  logger: Logger;
  /** The built Remix server (production) … */
  build?: ServerBuild;
  /** … or Vite in middleware mode (development). */
  vite?: ViteDevServer;
}

function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    // Vite's dev client injects styles; the production build uses stylesheet links only.
    dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    dev ? "connect-src 'self' ws:" : "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const MAX_FORM_BYTES = 64 * 1024;
export const MAX_UPLOAD_BYTES = 6 * 1024 * 1024;

function originOf(value: string | undefined): string | null {
  if (!value || value === "null") return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * The integration API authenticates with API keys (`Authorization: Bearer`), never with cookies:
 * a request from another site carries nothing to forge with, so the Origin check does not apply.
 * The path is read as Remix will route it (dot segments resolved), so `/api/../staff/…` is not
 * an API request.
 */
export function isApiRequest(request: Request): boolean {
  // Built like @remix-run/express builds the Request's URL; unparsable means not the API.
  try {
    return new URL(`http://portal.invalid${request.originalUrl}`).pathname.startsWith("/api/");
  } catch {
    return false;
  }
}

/**
 * RFC 8058 one-click unsubscribe: the mail provider's servers POST to the retention email's
 * "stop contacting me" link (usually with no Origin at all), but a mail client may send its own
 * Origin, or `null`. Exempting exactly this path from the Origin check is safe: the secret token
 * in the path is the only credential (no cookie is read), a GET of the same link does the same,
 * and the one thing it can do is the subscriber's own objection to being contacted (decision
 * 005). Dot segments are resolved first, so `/contact/arret/x/../../staff/…` is still checked.
 */
export function isStopContactRequest(request: Request): boolean {
  try {
    const { pathname } = new URL(`http://portal.invalid${request.originalUrl}`);
    return /^\/contact\/arret\/[A-Za-z0-9_-]+$/.test(pathname);
  } catch {
    return false;
  }
}

/** True when a state-changing request comes from the portal's own pages (or from no browser). */
export function isSameSite(request: Request, appUrl: string): boolean {
  const allowed = new Set([new URL(appUrl).origin, `${request.protocol}://${request.get("host")}`]);
  const origin = request.get("origin");
  if (origin !== undefined) return allowed.has(originOf(origin) ?? "refused");
  const referer = request.get("referer");
  if (referer !== undefined) return allowed.has(originOf(referer) ?? "refused");
  const site = request.get("sec-fetch-site");
  return site === undefined || site === "same-origin" || site === "none";
}

const REFUSALS = {
  csrf: {
    fr: "Cette demande ne vient pas d’une page du portail : elle a été refusée. Revenez sur le site et recommencez.",
    en: "This request did not come from a page of the portal, so it was refused. Go back to the site and try again.",
  },
  size: {
    fr: "Cette demande est trop volumineuse. Un justificatif ne peut pas dépasser 5 Mo.",
    en: "This request is too large. A proof document cannot be larger than 5 MB.",
  },
  length: {
    fr: "La taille de la demande doit être indiquée.",
    en: "The request must state its length.",
  },
};

/** A tiny bilingual page for refusals made before the app (no script, no personal data). */
function refusalPage(kind: keyof typeof REFUSALS): string {
  const text = REFUSALS[kind];
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demande refusée / Request refused</title></head><body><main><h1>Demande refusée</h1><p>${text.fr}</p><p><a href="/">Retour à l’accueil</a></p><div lang="en"><h2>Request refused</h2><p>${text.en}</p><p><a href="/">Back to the home page</a></p></div></main></body></html>`;
}

export function clientIp(request: Request): string | null {
  return request.ip ?? request.socket.remoteAddress ?? null;
}

export function createHttpApp(options: HttpAppOptions): express.Express {
  const { env, db, jobs, mailer, auditSigner, logger } = options;
  const dev = options.vite !== undefined;
  const app = express();
  app.disable("x-powered-by");
  if (env.TRUST_PROXY) app.set("trust proxy", true);

  app.use((request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        {
          method: request.method,
          path: loggablePath(request.originalUrl),
          status: response.statusCode,
          ms: Math.round(ms * 10) / 10,
        },
        "request",
      );
    });
    next();
  });

  // Security headers on every response, health checks and refusals included.
  app.use((_request, response, next) => {
    const nonce = randomBytes(16).toString("base64");
    response.locals.cspNonce = nonce;
    response.set({
      "Content-Security-Policy": contentSecurityPolicy(nonce, dev),
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Referrer-Policy": "same-origin",
      "Permissions-Policy":
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    if (env.NODE_ENV === "production" && env.APP_URL.startsWith("https://")) {
      response.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    }
    next();
  });

  // Cross-site request forgery: a state-changing request from a browser must come from this
  // site (Origin, else Referer, else Sec-Fetch-Site). Clients that send none of them are not
  // browsers and carry no victim's cookies. Session cookies are SameSite=Lax besides. The API
  // (/api/) is exempt: it takes API keys only (decision 004); so is the stop-contact link, whose
  // token is its credential (decision 005).
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(request.method) || isApiRequest(request)) return next();
    if (isStopContactRequest(request)) {
      // Remix checks again that a document POST's Origin is this host; a one-click POST comes
      // from the mail client's origin (or `null`) by design, so that header is dropped here.
      delete request.headers.origin;
      return next();
    }
    if (!isSameSite(request, env.APP_URL)) {
      logger.warn(
        { method: request.method, path: loggablePath(request.originalUrl) },
        "cross-site request refused",
      );
      response.status(403).type("html").send(refusalPage("csrf"));
      return;
    }
    next();
  });

  // Request size: forms and API bodies are small; only the summary's proof upload (5 MB) needs
  // more. The API is answered in its own JSON error shape.
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(request.method)) return next();
    const refuse = (status: 411 | 413, kind: "length" | "size") => {
      if (isApiRequest(request)) {
        const [code, message] =
          status === 411
            ? ["length_required", "The request must state its Content-Length."]
            : ["payload_too_large", `The request body is larger than ${MAX_FORM_BYTES} bytes.`];
        response.status(status).set("Cache-Control", "no-store").json({ error: { code, message } });
      } else {
        response.status(status).type("html").send(refusalPage(kind));
      }
    };
    const length = Number(request.get("content-length") ?? "NaN");
    if (!Number.isFinite(length)) {
      if (request.get("transfer-encoding")) return refuse(411, "length");
      return next();
    }
    const multipart = (request.get("content-type") ?? "").startsWith("multipart/form-data");
    if (length > (multipart && !isApiRequest(request) ? MAX_UPLOAD_BYTES : MAX_FORM_BYTES)) {
      return refuse(413, "size");
    }
    next();
  });

  // Liveness: the process answers. Readiness: the database answers and is fully migrated.
  app.get("/healthz", (_request, response) => {
    response.set("Cache-Control", "no-store").json({ status: "ok" });
  });
  app.get("/readyz", async (_request, response) => {
    response.set("Cache-Control", "no-store");
    try {
      const rows = await db.execute<{ count: number }>(
        sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
      );
      const applied = rows[0]?.count ?? 0;
      const shipped = await shippedMigrationCount();
      if (applied < shipped) {
        response.status(503).json({ status: "migrating", migrations: { applied, shipped } });
        return;
      }
      response.json({ status: "ready", migrations: { applied, shipped } });
    } catch (error) {
      logger.warn({ err: error }, "readiness check failed");
      response.status(503).json({ status: "database_unavailable" });
    }
  });

  app.use(compression());

  if (options.vite) {
    app.use(options.vite.middlewares);
  } else {
    const clientDir = path.resolve(env.REMIX_BUILD_DIR, "client");
    // Fingerprinted assets are immutable; everything else is revalidated.
    app.use(
      "/assets",
      express.static(path.join(clientDir, "assets"), {
        immutable: true,
        maxAge: "1y",
        index: false,
      }),
    );
    app.use(express.static(clientDir, { maxAge: "1h", index: false }));
  }

  const getBuild = options.vite
    ? () => options.vite!.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
    : async () => {
        if (!options.build) throw new Error("no Remix build given");
        return options.build;
      };

  app.all(
    "*",
    createRequestHandler({
      build: getBuild,
      mode: env.NODE_ENV === "production" ? "production" : "development",
      getLoadContext: (request, response): AppLoadContext => ({
        db,
        jobs,
        mailer,
        env,
        auditSigner,
        logger,
        cspNonce: response.locals.cspNonce as string,
        requestMeta: { ip: clientIp(request), userAgent: request.get("user-agent") ?? null },
      }),
    }),
  );

  // Last resort: never a stack trace to the client.
  app.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    logger.error({ err: error }, "unhandled error");
    if (!response.headersSent)
      response.status(500).type("text/plain").send("Erreur interne / Internal error");
  });
  return app;
}

export function listen(app: express.Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once("listening", () => resolve(server));
    server.once("error", reject);
  });
}

/** Stops accepting connections, lets in-flight requests finish (up to `timeoutMs`). */
export function closeServer(server: Server, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
