import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { computeEventHash, GENESIS_HASH } from "../../app/audit/record-event.server";
import {
  verifyAllStreams,
  verifyStream,
  type ChainVerification,
} from "../../app/audit/verify-chain.server";
import { auditEvents } from "../../db/schema";
import { setupTestDatabase } from "../setup/test-db";

// The full scan reads COPY's text format and puts each hashed body together byte by byte; a
// transaction reads keyset pages instead; verifyStream() hashes drizzle rows with
// computeEventHash (the definition). All three must name the same broken links, whatever the
// bytes in the events: escapes, non-ASCII, unusual timestamps and stream names.

const db = setupTestDatabase();

interface Draft {
  type: string;
  actorType: "subscriber" | "staff" | "system";
  actorId: string | null;
  data: unknown;
  ip: string | null;
  userAgent: string | null;
  occurredAt: Date;
}

const awkward: Draft[] = [
  {
    type: "case.viewed",
    actorType: "staff",
    actorId: 'staff "quoted"',
    data: { view: 'say "hi"\\ back\tslash\nnewline\u0001', é: "ünïcode 😀 \u2028", a: 1.5 },
    ip: "2001:db8::1",
    userAgent: "Agent\twith\\tabs and “quotes”",
    occurredAt: new Date("2026-11-20T10:15:30.000Z"),
  },
  {
    type: "refund.updated",
    actorType: "system",
    actorId: null,
    data: {
      nested: { zeta: [1, 2, { b: null, a: true }], alpha: "x" },
      list: ["a", "b"],
      big: 1e21,
      small: -0.000001,
      longerKeyFirst: 1,
      k: 2,
    },
    ip: null,
    userAgent: null,
    occurredAt: new Date("2026-11-20T10:15:30.5Z"),
  },
  {
    type: "case.notified",
    actorType: "subscriber",
    actorId: randomUUID(),
    data: { reference: "RX-0000-0001", feeTotalCents: 4900, contractIds: [randomUUID()] },
    ip: "203.0.113.7",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36",
    occurredAt: new Date("2026-11-20T10:15:30.123Z"),
  },
];

/** Inserts a chain of `drafts` on `stream`, hashed as recordEvent hashes them. */
async function chain(stream: string, drafts: readonly Draft[]) {
  let prevHash = GENESIS_HASH;
  const rows = drafts.map((draft, index) => {
    const fields = { ...draft, stream, seq: index + 1, caseId: null };
    const hash = computeEventHash(prevHash, fields);
    const row = { ...fields, prevHash, hash };
    prevHash = hash;
    return row;
  });
  for (let start = 0; start < rows.length; start += 500)
    await db.insert(auditEvents).values(rows.slice(start, start + 500));
}

const cycle = (length: number) =>
  Array.from({ length }, (_, i) => ({
    ...awkward[i % awkward.length]!,
    occurredAt: new Date(Date.UTC(2026, 10, 20) + i * 1_001),
  }));

async function tamper(statement: ReturnType<typeof sql>) {
  await db.execute(sql`alter table audit_event disable trigger user`);
  try {
    await db.execute(statement);
  } finally {
    await db.execute(sql`alter table audit_event enable trigger user`);
  }
}

const byStream = (chains: readonly ChainVerification[]) =>
  [...chains].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));

describe("verifyAllStreams", () => {
  it("names the same first broken links as the per-chain check, by COPY and by pages", async () => {
    const streams = {
      intact: `staff:${randomUUID()}`,
      long: `staff:${randomUUID()}`,
      quoted: 'system:"odd" name',
      unicode: "system:ünïcode",
      data: `staff:${randomUUID()}`,
      deleted: `staff:${randomUUID()}`,
      link: `staff:${randomUUID()}`,
      hash: `staff:${randomUUID()}`,
      agent: `staff:${randomUUID()}`,
      time: `staff:${randomUUID()}`,
    };
    await chain(streams.intact, awkward);
    // Over many COPY chunks: rows cut across chunk boundaries.
    await chain(streams.long, cycle(3_000));
    for (const stream of Object.values(streams).slice(2)) await chain(stream, cycle(5));
    await tamper(
      sql`update audit_event set data = '{"view":"forged"}'::jsonb where stream = ${streams.data} and seq = 2`,
    );
    await tamper(sql`delete from audit_event where stream = ${streams.deleted} and seq = 2`);
    await tamper(
      sql`update audit_event set prev_hash = repeat('b', 64) where stream = ${streams.link} and seq = 3`,
    );
    await tamper(
      sql`update audit_event set hash = repeat('a', 64) where stream = ${streams.hash} and seq = 1`,
    );
    await tamper(
      sql`update audit_event set user_agent = 'forged\\agent' where stream = ${streams.agent} and seq = 4`,
    );
    await tamper(
      sql`update audit_event set occurred_at = occurred_at + interval '1 millisecond' where stream = ${streams.time} and seq = 5`,
    );

    const progress: number[] = [];
    let seen = 0;
    const scan = await verifyAllStreams(db, {
      onProgress: ({ events }) => progress.push(events),
      progressEvery: 1_000,
      onEvent: () => (seen += 1),
    });
    const paged = await db.transaction((tx) => verifyAllStreams(tx));
    const reference = (
      await Promise.all(Object.values(streams).map((stream) => verifyStream(db, stream)))
    ).filter((result) => !result.ok);

    const events = 3 + 3_000 + 8 * 5 - 1;
    expect(scan.events).toBe(events);
    expect(scan.streams).toBe(10);
    expect(seen).toBe(events);
    expect(progress).toEqual([1_000, 2_000, 3_000, events]);
    expect(byStream(scan.broken)).toEqual(byStream(reference));
    expect(paged).toEqual(scan);
    expect(
      Object.fromEntries(
        scan.broken.map((broken) => [
          Object.entries(streams).find(([, stream]) => stream === broken.stream)![0],
          !broken.ok && [broken.firstBroken.seq, broken.firstBroken.problem],
        ]),
      ),
    ).toEqual({
      data: [2, "hash_mismatch"],
      deleted: [3, "sequence_gap"],
      link: [3, "prev_hash_mismatch"],
      hash: [1, "hash_mismatch"],
      agent: [4, "hash_mismatch"],
      time: [5, "hash_mismatch"],
    });
  });

  it("verifies an empty trail", async () => {
    expect(await verifyAllStreams(db)).toEqual({ streams: 0, events: 0, broken: [] });
  });
});
