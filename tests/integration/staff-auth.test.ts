import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { totpCodeAt, decryptTotpSecret } from "../../app/auth/totp.server";
import { staffSessions, staffUsers } from "../../db/schema";
import { PORTAL_TEST_SECRET } from "../setup/databases";
import { setupPortal } from "../setup/portal";
import { DEMO_PASSWORD, getPage, postForm, signIn } from "../setup/staff-http";

// Sign-in, lockout, sessions, password links, TOTP, CSRF and headers, over HTTP against the
// real portal (production build, seeded Postgres, real SMTP).
const app = setupPortal("staff_auth");
const SECRET = PORTAL_TEST_SECRET;

async function signInAttempt(email: string, password: string) {
  const response = await postForm(app.url("/staff/connexion"), { email, password });
  return { status: response.status, text: await response.text() };
}

describe("lockout and enumeration", () => {
  it("locks an email after ten wrong passwords, answering exactly as for an unknown email", async () => {
    const known: string[] = [];
    const unknown: string[] = [];
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const a = await signInAttempt("agent@example.com", `wrong-password-${attempt}`);
      const b = await signInAttempt("nobody-here@example.com", `wrong-password-${attempt}`);
      known.push(`${a.status}`);
      unknown.push(`${b.status}`);
      expect(a.text.includes("incorrect")).toBe(b.text.includes("incorrect"));
      expect(a.text.includes("bloquée")).toBe(b.text.includes("bloquée"));
    }
    expect(known).toEqual([...Array(9).fill("401"), "429"]);
    expect(unknown).toEqual(known);
    // Locked: even the right password is refused, with the lockout message.
    const locked = await signInAttempt("agent@example.com", DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain("bloquée pendant 15");
    const [agent] = await app
      .db()
      .select({ lockedUntil: staffUsers.lockedUntil })
      .from(staffUsers)
      .where(eq(staffUsers.email, "agent@example.com"));
    expect(agent?.lockedUntil?.getTime()).toBeGreaterThan(Date.now());
  });
});

describe("sessions", () => {
  it("rotates the token at sign-in and ends a session idle for 30 minutes or older than 12 hours", async () => {
    const first = await signIn(app.url, "ops@example.com");
    const second = await signIn(app.url, "ops@example.com");
    expect(second).not.toBe(first);
    expect((await getPage(app.url("/staff"), second)).status).toBe(200);

    await app
      .db()
      .update(staffSessions)
      .set({ lastSeenAt: sql`now() - interval '31 minutes'` });
    const idle = await getPage(app.url("/staff"), second);
    expect(idle.status).toBe(303);
    expect(idle.headers.get("location")).toContain("/staff/connexion");

    const third = await signIn(app.url, "ops@example.com");
    await app
      .db()
      .update(staffSessions)
      .set({ expiresAt: sql`now() - interval '1 second'` });
    expect((await getPage(app.url("/staff"), third)).status).toBe(303);
  });

  it("sets the session cookie httpOnly and SameSite=Lax, and signs out everywhere", async () => {
    const response = await postForm(app.url("/staff/connexion"), {
      email: "compliance@example.com",
      password: DEMO_PASSWORD,
    });
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("ee_staff="))!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    const a = setCookie.split(";")[0]!;
    const b = await signIn(app.url, "compliance@example.com");
    const out = await postForm(
      app.url("/staff/compte"),
      { intent: "sign_out_everywhere" },
      { cookie: b },
    );
    expect(out.status).toBe(303);
    expect((await getPage(app.url("/staff"), a)).status).toBe(303);
    expect((await getPage(app.url("/staff"), b)).status).toBe(303);
  });
});

describe("password reset by emailed link", () => {
  it("answers the same for any address, emails a one-time link, and the new password works", async () => {
    const unknown = await postForm(app.url("/staff/mot-de-passe-oublie"), {
      email: "nobody@example.com",
    });
    const known = await postForm(app.url("/staff/mot-de-passe-oublie"), {
      email: "admin@example.com",
    });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const [a, b] = [await unknown.text(), await known.text()];
    expect(a).toContain("Si un compte existe");
    expect(b).toContain("Si un compte existe");

    const mail = await app
      .smtp()
      .waitFor((message) => message.subject?.includes("mot de passe") ?? false);
    const link = /https?:\/\/\S+\/staff\/mot-de-passe\/[A-Za-z0-9_-]{43}/.exec(
      mail.text ?? "",
    )?.[0];
    expect(link).toBeDefined();
    const path = new URL(link!).pathname;
    const reset = await postForm(app.url(path), {
      password: "a brand new passphrase",
      confirm: "a brand new passphrase",
    });
    expect(reset.status).toBe(303);
    expect(reset.headers.get("location")).toContain("status=reset");
    expect((await getPage(app.url(path))).status).toBe(410);
    expect((await signInAttempt("admin@example.com", DEMO_PASSWORD)).status).toBe(401);
    await signIn(app.url, "admin@example.com", "a brand new passphrase");
  });
});

describe("two-factor sign-in", () => {
  it("asks for a TOTP code after the password when it is turned on", async () => {
    const email = "ops@example.com";
    const session = await signIn(app.url, email);
    const start = await postForm(
      app.url("/staff/compte"),
      { intent: "totp_start" },
      { cookie: session },
    );
    const page = await start.text();
    const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1];
    expect(pending).toBeDefined();
    const base32 = decryptTotpSecret(SECRET, pending!.replace(/&amp;/g, "&"));
    const confirm = await postForm(
      app.url("/staff/compte"),
      { intent: "totp_confirm", pending: pending!, code: totpCodeAt(base32) },
      { cookie: session },
    );
    expect(await confirm.text()).toContain("Double authentification activée");

    const password = await postForm(app.url("/staff/connexion"), {
      email,
      password: DEMO_PASSWORD,
    });
    expect(password.headers.get("location")).toContain("/staff/connexion/code");
    const half = password.headers.getSetCookie()[0]!.split(";")[0]!;
    expect((await getPage(app.url("/staff"), half)).headers.get("location")).toContain(
      "/staff/connexion/code",
    );
    const wrong = await postForm(
      app.url("/staff/connexion/code"),
      { code: "000000" },
      { cookie: half },
    );
    expect(wrong.status).toBe(401);
    const right = await postForm(
      app.url("/staff/connexion/code"),
      { code: totpCodeAt(base32) },
      { cookie: half },
    );
    expect(right.status).toBe(303);
    expect((await getPage(app.url("/staff"), half)).status).toBe(200);
  });
});

describe("hardening", () => {
  it("refuses a cross-site POST to any action, and accepts the same POST from the site", async () => {
    for (const path of [
      "/resilier",
      "/dossier",
      "/staff/connexion",
      "/staff/mot-de-passe-oublie",
    ]) {
      const foreign = await postForm(
        app.url(path),
        { email: "x@example.com" },
        {
          origin: "https://evil.example",
        },
      );
      expect(foreign.status, path).toBe(403);
      expect(await foreign.text()).toContain("Demande refusée");
      const own = await postForm(app.url(path), { email: "x@example.com" });
      expect(own.status, path).not.toBe(403);
    }
    const nullOrigin = await postForm(app.url("/staff/connexion"), {}, { origin: "null" });
    expect(nullOrigin.status).toBe(403);
  });

  it("refuses oversized form bodies with 413", async () => {
    const response = await postForm(app.url("/staff/connexion"), {
      email: "x@example.com",
      password: "p".repeat(70 * 1024),
    });
    expect(response.status).toBe(413);
  });

  it("puts the security headers on every kind of response", async () => {
    const responses = [
      await getPage(app.url("/")),
      await getPage(app.url("/staff/connexion")),
      await getPage(app.url("/staff/dossiers")),
      await getPage(app.url("/nowhere")),
      await getPage(app.url("/healthz")),
      await getPage(app.url("/readyz")),
      await getPage(app.url("/favicon.svg")),
      await postForm(app.url("/resilier"), {}, { origin: "https://evil.example" }),
    ];
    for (const response of responses) {
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp, response.url).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("same-origin");
      expect(response.headers.get("permissions-policy")).toContain("camera=()");
    }
  });
});
