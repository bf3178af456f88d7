import { hash } from "node:crypto";
import { merkleRoot, type ChainHead } from "./merkle";

// The head set of one checkpoint after another, as the verification replays them in order, and
// the Merkle root of each (the same tree as merkle.ts: RFC 6962 shape over heads sorted by
// stream). Replaying thousands of hourly checkpoints must not rebuild the whole tree each time:
// leaf hashes are computed once per head, and the hash of every complete, aligned subtree is
// kept until a leaf under it changes or moves. An updated head rehashes one path; new streams
// shift every leaf after the first of them, so only the subtrees before it are kept.
// Hashes are kept as hex strings and hashed from one scratch buffer: a Buffer per node makes
// the garbage collector, not SHA-256, the cost of a large tree.

const LEAF_PREFIX = 0;
const NODE_PREFIX = 1;

/** Where `stream` is, or would be inserted, in the sorted list (JavaScript string order). */
function search(sorted: readonly string[], stream: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < stream) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Below this many new streams in one checkpoint, splice them in; above, merge the lists. */
const SPLICE_LIMIT = 256;

export class HeadSetTree {
  private streams: string[] = [];
  private leaves: string[] = [];
  /** levels[m][j]: the hash of leaves [j·2^m, (j+1)·2^m), while valid. */
  private levels: (string | undefined)[][] = [];
  private cachedRoot: string | null = merkleRoot([]);
  private readonly scratch = Buffer.alloc(65);
  private leafScratch = Buffer.alloc(256);

  get size(): number {
    return this.streams.length;
  }

  /** Applies one checkpoint's stored heads: new streams, or streams whose head moved. */
  apply(rows: readonly ChainHead[]): void {
    if (rows.length === 0) return;
    const added: ChainHead[] = [];
    for (const row of rows) {
      const at = search(this.streams, row.stream);
      if (this.streams[at] !== row.stream) {
        added.push(row);
        continue;
      }
      this.leaves[at] = this.leaf(row);
      this.invalidatePath(at);
    }
    if (added.length > 0) this.insert(added);
    this.cachedRoot = null;
  }

  root(): string {
    if (this.cachedRoot === null) {
      const n = this.leaves.length;
      this.cachedRoot = n === 0 ? merkleRoot([]) : this.subtree(0, n);
    }
    return this.cachedRoot;
  }

  private insert(added: ChainHead[]): void {
    // Tree order: JavaScript string order of the stream names (as sortHeads).
    added.sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
    let firstMoved: number;
    if (added.length <= SPLICE_LIMIT) {
      firstMoved = search(this.streams, added[0]!.stream);
      for (const head of added) {
        const at = search(this.streams, head.stream);
        this.streams.splice(at, 0, head.stream);
        this.leaves.splice(at, 0, this.leaf(head));
      }
    } else {
      const streams: string[] = [];
      const leaves: string[] = [];
      firstMoved = -1;
      let i = 0;
      let j = 0;
      while (i < this.streams.length || j < added.length) {
        if (j >= added.length || (i < this.streams.length && this.streams[i]! < added[j]!.stream)) {
          streams.push(this.streams[i]!);
          leaves.push(this.leaves[i]!);
          i += 1;
        } else {
          if (firstMoved < 0) firstMoved = streams.length;
          streams.push(added[j]!.stream);
          leaves.push(this.leaf(added[j]!));
          j += 1;
        }
      }
      this.streams = streams;
      this.leaves = leaves;
    }
    // Every complete subtree reaching the first new leaf, or beyond it, now covers other leaves.
    for (let m = 0; m < this.levels.length; m += 1) this.levels[m]!.length = firstMoved >> m;
  }
  private invalidatePath(at: number): void {
    for (let m = 0; m < this.levels.length; m += 1) this.levels[m]![at >> m] = undefined;
  }

  /** leafHash of merkle.ts: SHA-256(0x00 ‖ UTF-8 "stream\tseq\thash"), in hex. */
  private leaf(head: ChainHead): string {
    const text = `${head.stream}\t${head.seq}\t${head.hash}`;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes + 1 > this.leafScratch.length) this.leafScratch = Buffer.alloc(bytes + 1);
    this.leafScratch[0] = LEAF_PREFIX;
    this.leafScratch.write(text, 1, "utf8");
    return hash("sha256", this.leafScratch.subarray(0, bytes + 1), "hex");
  }

  private node(left: string, right: string): string {
    this.scratch[0] = NODE_PREFIX;
    this.scratch.write(left, 1, "hex");
    this.scratch.write(right, 33, "hex");
    return hash("sha256", this.scratch, "hex");
  }

  /** The hash of leaves [from, to): RFC 6962 split at the largest power of two below the size. */
  private subtree(from: number, to: number): string {
    const size = to - from;
    if (size === 1) return this.leaves[from]!;
    let k = 1;
    while (k * 2 < size) k *= 2;
    const complete = k * 2 === size;
    if (complete) {
      // A complete subtree is aligned on its size (RFC 6962 shape): cacheable by (level, index).
      const m = Math.log2(size);
      const cached = this.levels[m]?.[from >> m];
      if (cached) return cached;
      const value = this.node(this.subtree(from, from + k), this.subtree(from + k, to));
      while (this.levels.length <= m) this.levels.push([]);
      this.levels[m]![from >> m] = value;
      return value;
    }
    return this.node(this.subtree(from, from + k), this.subtree(from + k, to));
  }
}
