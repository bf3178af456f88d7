import { pino, type Logger } from "pino";

// Structured logs only: { msg, caseId, actor }. Never a name, an email or an address —
// the redact list is a safety net, not a licence to log personal data.
export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        "email",
        "*.email",
        "name",
        "*.name",
        "firstName",
        "lastName",
        "password",
        "*.password",
        "token",
        "*.token",
        "headers.cookie",
        "req.headers.cookie",
      ],
      censor: "[redacted]",
    },
    ...(pretty
      ? {
          transport: { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname" } },
        }
      : {}),
  });
}

/** A request path fit for a log: case and stop-contact links carry secret tokens in their path. */
const SECRET_SEGMENT = /\/[A-Za-z0-9_-]{20,}(?=\/|$)/g;
export function loggablePath(url: string): string {
  return url.split("?")[0]!.replace(SECRET_SEGMENT, "/:token");
}

export type { Logger };
