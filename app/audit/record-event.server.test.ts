import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical";
import {
  computeEventHash,
  eventHashBody,
  GENESIS_HASH,
  type ChainedFields,
} from "./record-event.server";

// The hash of an event is defined (README, decision 002) as SHA-256 of prev_hash, "\n" and the
// canonical JSON of its fields. computeEventHash writes that JSON out by hand for speed: these
// checks hold it to the definition.
const reference = (prevHash: string, event: ChainedFields) =>
  createHash("sha256")
    .update(prevHash)
    .update("\n")
    .update(
      canonicalJson({
        stream: event.stream,
        seq: event.seq,
        caseId: event.caseId,
        type: event.type,
        actor: { type: event.actorType, id: event.actorId },
        data: event.data,
        ip: event.ip,
        userAgent: event.userAgent,
        occurredAt: event.occurredAt.toISOString(),
      }),
    )
    .digest("hex");

const text = fc.string({ unit: "binary", maxLength: 40 });
const nullableText = fc.option(text, { nil: null });
const event = fc.record({
  stream: text,
  seq: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  caseId: fc.option(fc.uuid(), { nil: null }),
  type: text,
  actorType: text,
  actorId: nullableText,
  data: fc.jsonValue(),
  ip: nullableText,
  userAgent: nullableText,
  occurredAt: fc.date({
    min: new Date("1970-01-01T00:00:00Z"),
    max: new Date("2999-12-31T23:59:59.999Z"),
    noInvalidDate: true,
  }),
});

describe("event hash", () => {
  it("is SHA-256 of prev_hash, a newline and the canonical JSON of the event's fields", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), event, (prevHash, fields) => {
        expect(computeEventHash(prevHash, fields)).toBe(reference(prevHash, fields));
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a known event's hash (what existing trails were chained with)", () => {
    const fields: ChainedFields = {
      stream: "case:9b2e4c1a-0d7f-4a8e-9c3b-5f6a7b8c9d0e",
      seq: 1,
      caseId: "9b2e4c1a-0d7f-4a8e-9c3b-5f6a7b8c9d0e",
      type: "case.withdrawn",
      actorType: "subscriber",
      actorId: "4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
      data: { reference: "RES-2026-000123" },
      ip: "203.0.113.7",
      userAgent: "Mozilla/5.0 « test »",
      occurredAt: new Date("2026-11-20T10:15:30.123Z"),
    };
    expect(eventHashBody(fields)).toBe(
      '{"actor":{"id":"4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f","type":"subscriber"},"caseId":"9b2e4c1a-0d7f-4a8e-9c3b-5f6a7b8c9d0e","data":{"reference":"RES-2026-000123"},"ip":"203.0.113.7","occurredAt":"2026-11-20T10:15:30.123Z","seq":1,"stream":"case:9b2e4c1a-0d7f-4a8e-9c3b-5f6a7b8c9d0e","type":"case.withdrawn","userAgent":"Mozilla/5.0 « test »"}',
    );
    expect(computeEventHash(GENESIS_HASH, fields)).toBe(reference(GENESIS_HASH, fields));
  });

  it("drops undefined members as canonical JSON does", () => {
    const fields = {
      stream: "system",
      seq: 3,
      caseId: undefined,
      type: "system.seeded",
      actorType: "system",
      actorId: null,
      data: { subscribers: 1, cases: 2 },
      ip: null,
      userAgent: null,
      occurredAt: new Date(0),
    } as unknown as ChainedFields;
    expect(computeEventHash(GENESIS_HASH, fields)).toBe(reference(GENESIS_HASH, fields));
  });
});
