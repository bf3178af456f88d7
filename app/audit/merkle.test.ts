import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  inclusionProof,
  inclusionProofs,
  leafHash,
  merkleRoot,
  rootFromProof,
  sortHeads,
  type ChainHead,
} from "./merkle";
import { createHash } from "node:crypto";

const head = (stream: string, seq = 1): ChainHead => ({
  stream,
  seq,
  hash: createHash("sha256").update(`${stream}/${seq}`).digest("hex"),
});
const node = (left: Buffer, right: Buffer) =>
  createHash("sha256")
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();

describe("checkpoint Merkle tree", () => {
  it("hashes the empty set, one leaf, and three leaves as RFC 6962 shapes them", () => {
    expect(merkleRoot([])).toBe(createHash("sha256").update("").digest("hex"));
    const a = head("case:a");
    expect(merkleRoot([a])).toBe(leafHash(a).toString("hex"));
    const [x, y, z] = [head("a"), head("b"), head("c")];
    // n = 3 splits 2 | 1: root = H(1 ‖ H(1 ‖ x ‖ y) ‖ z).
    expect(merkleRoot([x, y, z])).toBe(
      node(node(leafHash(x), leafHash(y)), leafHash(z)).toString("hex"),
    );
  });

  it("orders heads by stream name whatever order they come in", () => {
    const heads = [head("case:b"), head("system"), head("case:a"), head("notice:z")];
    expect(sortHeads(heads).map((h) => h.stream)).toEqual([
      "case:a",
      "case:b",
      "notice:z",
      "system",
    ]);
  });

  it("proves every leaf of any tree, and a changed head or proof no longer reaches the root", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (n, pick) => {
        const heads = sortHeads(Array.from({ length: n }, (_, i) => head(`case:${i}`, i + 1)));
        const root = merkleRoot(heads);
        const index = pick % n;
        const proof = inclusionProof(heads, index);
        expect(rootFromProof(heads[index]!, proof)).toBe(root);
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
        const forged = { ...heads[index]!, seq: heads[index]!.seq + 1 };
        expect(rootFromProof(forged, proof)).not.toBe(root);
        if (proof.length > 0) {
          const bent = proof.map((step, i) => (i === 0 ? { ...step, hash: "0".repeat(64) } : step));
          expect(rootFromProof(heads[index]!, bent)).not.toBe(root);
        }
      }),
    );
  });

  it("gives proofs for many leaves at once, each leading to the root", () => {
    const heads = sortHeads(Array.from({ length: 37 }, (_, i) => head(`s${i}`)));
    const root = merkleRoot(heads);
    const bulk = inclusionProofs(heads, [0, 5, 31, 32, 36]);
    expect(bulk.size).toBe(5);
    for (const [index, proof] of bulk) expect(rootFromProof(heads[index]!, proof)).toBe(root);
    expect(() => inclusionProofs(heads, [37])).toThrow(RangeError);
  });
});
