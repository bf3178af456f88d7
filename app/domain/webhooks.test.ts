import { describe, expect, it } from "vitest";
import {
  computeSignature,
  generateWebhookSecret,
  signatureHeader,
  verifySignature,
} from "./webhook-signature";
import {
  nextAttemptAt,
  RETRY_WINDOW_UNITS,
  shouldAutoDisable,
  webhookUrlProblem,
} from "./webhooks";

describe("webhook signature", () => {
  const body = '{"id":"e1","type":"case.notified"}';
  const now = 1_790_000_000;

  it("is the hex HMAC-SHA256 of '<t>.<body>' (a known vector)", () => {
    // echo -n '1790000000.{"id":"e1","type":"case.notified"}' | openssl dgst -sha256 -hmac whsec_test
    expect(computeSignature("whsec_test", now, body)).toBe(
      "bac3412bba427b96029b81fe00ad6ebbc768cfabc35f18a49f62d4a6d992bbe2",
    );
    expect(computeSignature("whsec_test", now, body)).toMatch(/^[0-9a-f]{64}$/);
    expect(computeSignature("whsec_test", now, body)).not.toBe(
      computeSignature("whsec_test", now + 1, body),
    );
  });

  it("carries one v1 per active secret and verifies with either", () => {
    const header = signatureHeader(["whsec_new", "whsec_old"], now, body);
    expect(header).toMatch(/^t=1790000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    for (const secret of ["whsec_new", "whsec_old"])
      expect(verifySignature({ header, body, secret, nowSeconds: now })).toBe(true);
    expect(verifySignature({ header, body, secret: "whsec_other", nowSeconds: now })).toBe(false);
    expect(
      verifySignature({ header, body: `${body} `, secret: "whsec_new", nowSeconds: now }),
    ).toBe(false);
  });

  it("refuses an old timestamp (replay) and a malformed header", () => {
    const header = signatureHeader(["whsec_new"], now, body);
    expect(verifySignature({ header, body, secret: "whsec_new", nowSeconds: now + 301 })).toBe(
      false,
    );
    expect(verifySignature({ header: "v1=abc", body, secret: "whsec_new", nowSeconds: now })).toBe(
      false,
    );
  });

  it("generates whsec_ secrets of 32 random bytes", () => {
    const secret = generateWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(secret);
  });
});

describe("webhook retries", () => {
  const createdAt = new Date("2026-11-30T10:00:00Z");
  const minutes = (date: Date | null, from: Date) =>
    date === null ? null : (date.getTime() - from.getTime()) / 60_000;

  it("waits 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then 24 h, and gives up after 3 days", () => {
    let now = createdAt;
    const waits: (number | null)[] = [];
    for (let attempts = 1; attempts <= 10; attempts += 1) {
      const next = nextAttemptAt({ attempts, createdAt, now, baseDelaySeconds: 60 });
      waits.push(minutes(next, now));
      if (next === null) break;
      now = next;
    }
    expect(waits).toEqual([1, 5, 30, 120, 360, 720, 1440, 1440, null]);
    expect(minutes(now, createdAt)).toBeLessThanOrEqual(RETRY_WINDOW_UNITS);
  });

  it("scales with the base delay (tests run it in seconds)", () => {
    const next = nextAttemptAt({ attempts: 2, createdAt, now: createdAt, baseDelaySeconds: 1 });
    expect(next!.getTime() - createdAt.getTime()).toBe(5_000);
  });

  it("disables after 20 failures in a row spanning a day, not after a short burst", () => {
    const now = new Date("2026-11-30T10:00:00Z");
    const dayAgo = new Date(now.getTime() - 24 * 3600_000);
    expect(shouldAutoDisable({ consecutiveFailures: 20, firstFailureAt: dayAgo, now })).toBe(true);
    expect(shouldAutoDisable({ consecutiveFailures: 19, firstFailureAt: dayAgo, now })).toBe(false);
    const hourAgo = new Date(now.getTime() - 3600_000);
    expect(shouldAutoDisable({ consecutiveFailures: 50, firstFailureAt: hourAgo, now })).toBe(
      false,
    );
  });
});

describe("webhook URLs", () => {
  it("wants https, allows http to the loopback interface outside production only", () => {
    const dev = { allowLoopbackHttp: true };
    const prod = { allowLoopbackHttp: false };
    expect(webhookUrlProblem("https://it.example.com/hooks", prod)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:4000/hooks", dev)).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:4000/hooks", prod)).toBe("https_required");
    expect(webhookUrlProblem("http://it.example.com/hooks", dev)).toBe("https_required");
    expect(webhookUrlProblem("ftp://it.example.com", dev)).toBe("invalid");
    expect(webhookUrlProblem("https://user:pw@it.example.com", dev)).toBe("invalid");
    expect(webhookUrlProblem("not a url", dev)).toBe("invalid");
  });
});
