import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HeadSetTree } from "./head-set-tree";
import { merkleRoot, sortHeads, type ChainHead } from "./merkle";

// The verification replays checkpoints through HeadSetTree instead of rebuilding each tree:
// after every checkpoint, its root must be exactly merkle.ts's root over the same heads.
const stream = fc.constantFrom(
  ...Array.from({ length: 40 }, (_, i) => `case:${String((i * 7919) % 97).padStart(3, "0")}`),
  "system",
  "staff:a",
  "notice:b",
);
const head = fc.record({
  stream,
  seq: fc.integer({ min: 1, max: 50 }),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});
// One checkpoint's stored heads: at most one row per stream.
const checkpoint = fc.uniqueArray(head, { selector: (row) => row.stream, maxLength: 12 });

describe("HeadSetTree", () => {
  it("gives the root of merkle.ts after every checkpoint, whatever is added or moved", () => {
    fc.assert(
      fc.property(fc.array(checkpoint, { maxLength: 25 }), (checkpoints) => {
        const tree = new HeadSetTree();
        const current = new Map<string, ChainHead>();
        expect(tree.root()).toBe(merkleRoot([]));
        for (const rows of checkpoints) {
          tree.apply(rows);
          for (const row of rows) current.set(row.stream, row);
          expect(tree.size).toBe(current.size);
          expect(tree.root()).toBe(merkleRoot(sortHeads([...current.values()])));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("handles a large tree and single-leaf changes in it", () => {
    const tree = new HeadSetTree();
    const heads = Array.from({ length: 1000 }, (_, i) => ({
      stream: `case:${(i * 7919) % 1000}`.padEnd(12, "x"),
      seq: 1,
      hash: (i % 16).toString(16).repeat(64),
    }));
    tree.apply(heads);
    expect(tree.root()).toBe(merkleRoot(sortHeads(heads)));
    const moved = { ...heads[500]!, seq: 2 };
    tree.apply([moved]);
    heads[500] = moved;
    expect(tree.root()).toBe(merkleRoot(sortHeads(heads)));
    const added = { stream: "case:0000", seq: 1, hash: "e".repeat(64) };
    tree.apply([added]);
    expect(tree.root()).toBe(merkleRoot(sortHeads([...heads, added])));
  });
});
