import { createHash } from "node:crypto";

// The Merkle tree of a checkpoint (docs/decisions/009): one leaf per hash chain head, sorted by
// stream name, shaped as in RFC 6962 §2.1 so that an inclusion proof for one case is a few dozen
// hashes and reveals nothing about the other cases. tools/verify-audit-export.mjs re-implements
// these few lines without importing them: keep both in step.

export interface ChainHead {
  stream: string;
  seq: number;
  hash: string;
}

export interface ProofStep {
  /** Which side the sibling hash sits on when combining. */
  side: "L" | "R";
  hash: string;
}

const sha256 = (...parts: (Buffer | string)[]) => {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part);
  return digest.digest();
};

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

export function leafHash(head: ChainHead): Buffer {
  return sha256(LEAF, Buffer.from(`${head.stream}\t${head.seq}\t${head.hash}`, "utf8"));
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(NODE, left, right);
}

/** Heads in tree order: by stream name (JavaScript string order; stream names are ASCII). */
export function sortHeads<T extends ChainHead>(heads: readonly T[]): T[] {
  return [...heads].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
}

/** The largest power of two strictly smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOf(leaves: readonly Buffer[], from: number, to: number): Buffer {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  const k = split(n);
  return nodeHash(rootOf(leaves, from, from + k), rootOf(leaves, from + k, to));
}

/** The root over heads already in tree order (see `sortHeads`); the empty tree hashes "". */
export function merkleRoot(sortedHeads: readonly ChainHead[]): string {
  if (sortedHeads.length === 0) return sha256("").toString("hex");
  return rootOf(sortedHeads.map(leafHash), 0, sortedHeads.length).toString("hex");
}

/** The audit path of leaf `index`, bottom-up (RFC 6962 §2.1.1), with the side of each sibling. */
export function inclusionProof(sortedHeads: readonly ChainHead[], index: number): ProofStep[] {
  return inclusionProofs(sortedHeads, [index]).get(index)!;
}

/** Proofs for many leaves at once, computing each subtree root once (an export's anchors). */
export function inclusionProofs(
  sortedHeads: readonly ChainHead[],
  indexes: readonly number[],
): Map<number, ProofStep[]> {
  const leaves = sortedHeads.map(leafHash);
  const memo = new Map<string, Buffer>();
  const root = (from: number, to: number): Buffer => {
    if (to - from === 1) return leaves[from]!;
    const key = `${from}:${to}`;
    let value = memo.get(key);
    if (!value) {
      const k = split(to - from);
      value = nodeHash(root(from, from + k), root(from + k, to));
      memo.set(key, value);
    }
    return value;
  };
  const proofs = new Map<number, ProofStep[]>();
  for (const index of indexes) {
    if (index < 0 || index >= leaves.length) throw new RangeError("leaf index out of range");
    const path: ProofStep[] = [];
    const walk = (from: number, to: number) => {
      if (to - from === 1) return;
      const k = split(to - from);
      if (index < from + k) {
        walk(from, from + k);
        path.push({ side: "R", hash: root(from + k, to).toString("hex") });
      } else {
        walk(from + k, to);
        path.push({ side: "L", hash: root(from, from + k).toString("hex") });
      }
    };
    walk(0, leaves.length);
    proofs.set(index, path);
  }
  return proofs;
}

/** Recomputes the root from one head and its proof. */
export function rootFromProof(head: ChainHead, proof: readonly ProofStep[]): string {
  let hash = leafHash(head);
  for (const step of proof) {
    const sibling = Buffer.from(step.hash, "hex");
    hash = step.side === "L" ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
  }
  return hash.toString("hex");
}
