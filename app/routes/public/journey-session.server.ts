import { randomUUID } from "node:crypto";
import {
  createCookieSessionStorage,
  type AppLoadContext,
  type Session,
  type SessionStorage,
} from "@remix-run/node";
import { z } from "zod";

// Where the subscriber is in the journey, between the identify page, the summary and the
// acknowledgment: a signed, httpOnly cookie (no account, nothing stored before the notice).
const JourneySchema = z.object({
  /** Idempotency key of this journey's notice: a double click, a retry or a second tab reuse it. */
  key: z.string().min(16),
  subscriberId: z.uuid().optional(),
  contractIds: z.array(z.uuid()).default([]),
  preselected: z.array(z.uuid()).default([]),
  email: z.string().optional(),
  identifiedAt: z.iso.datetime().optional(),
  summaryShownAt: z.iso.datetime().optional(),
  /** Failed identifications in a row; from two on, "send my notice anyway" is offered. */
  failures: z.int().min(0).default(0),
  /** `withdraw`: the EU withdrawal button's journey (identify → confirm withdrawal). */
  mode: z.enum(["cancel", "withdraw"]).default("cancel"),
  /** What was typed on the identify page, to fill in Germany's single confirmation page. */
  typed: z
    .object({ firstName: z.string(), lastName: z.string(), reference: z.string() })
    .optional(),
  caseId: z.uuid().optional(),
  caseToken: z.string().optional(),
  noticeId: z.uuid().optional(),
});

export type Journey = z.infer<typeof JourneySchema>;

const storages = new Map<string, SessionStorage>();

function storageFor(context: AppLoadContext): SessionStorage {
  const secret = context.env.SESSION_SECRET;
  let storage = storages.get(secret);
  if (!storage) {
    storage = createCookieSessionStorage({
      cookie: {
        name: "__journey",
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: context.env.APP_URL.startsWith("https://"),
        secrets: [secret],
        maxAge: 60 * 60 * 6,
      },
    });
    storages.set(secret, storage);
  }
  return storage;
}

export interface JourneyHandle {
  journey: Journey;
  session: Session;
  save(next: Journey): Promise<string>;
}

/** The journey of this browser (a fresh one when the cookie is missing, expired or tampered with). */
export async function readJourney(
  request: Request,
  context: AppLoadContext,
): Promise<JourneyHandle> {
  const storage = storageFor(context);
  const session = await storage.getSession(request.headers.get("Cookie"));
  const parsed = JourneySchema.safeParse(session.get("journey"));
  const journey = parsed.success ? parsed.data : newJourney();
  return {
    journey,
    session,
    save: async (next) => {
      session.set("journey", next);
      return storage.commitSession(session);
    },
  };
}

export function newJourney(failures = 0, mode: Journey["mode"] = "cancel"): Journey {
  return { key: randomUUID(), contractIds: [], preselected: [], failures, mode };
}
