/**
 * canonicalJson() of a jsonb value as Postgres writes it (`data::text`), straight from its UTF-8
 * bytes into `out`: verifying the whole audit trail canonicalises a million `data` values, and
 * JSON.parse + canonicalJson cost a third of it. jsonb text differs from canonical JSON in two
 * ways only: a space after each `:` and `,`, and object keys ordered by length first.
 *
 * Covers what the audit trail holds — objects with ASCII keys, arrays, strings, integers and
 * short decimals, literals — and returns -1 for anything else (a non-ASCII key, a number that
 * JavaScript would print differently, a backslash), for the caller to parse the text instead.
 * Strings are copied as they are: without a backslash they need no escape in either form.
 * Whatever comes out is only ever compared through a hash, so a wrong answer would cost a slow
 * re-check, never a false pass.
 */
export class JsonbCanonical {
  private src: Uint8Array = new Uint8Array(0);
  private out: Uint8Array = new Uint8Array(0);
  private at = 0;

  /** Writes the canonical JSON of `src[start, end)` at `out[at]`; returns its end, or -1. */
  write(src: Uint8Array, start: number, end: number, out: Uint8Array, at: number): number {
    this.src = src;
    this.out = out;
    this.at = at;
    const after = this.value(start, end);
    return after === end ? this.at : -1;
  }

  /** Writes the value at `i`; returns the index after it, or -1. */
  private value(i: number, end: number): number {
    const byte = this.src[i];
    if (byte === 0x7b) return this.object(i, end);
    if (byte === 0x5b) return this.array(i, end);
    if (byte === 0x22) {
      const close = this.closingQuote(i, end);
      return close === -1 ? -1 : this.copy(i, close + 1);
    }
    if (byte === 0x74 || byte === 0x6e)
      return this.literal(i, end, byte === 0x74 ? "true" : "null");
    if (byte === 0x66) return this.literal(i, end, "false");
    return this.number(i, end);
  }

  private object(i: number, end: number): number {
    const src = this.src;
    if (src[i + 1] === 0x7d) return this.copy(i, i + 2);
    // Member k: key bytes [keys[2k], keys[2k + 1]), value at values[k].
    const keys: number[] = [];
    const values: number[] = [];
    let j = i + 1;
    for (;;) {
      if (src[j] !== 0x22) return -1;
      const close = this.closingQuote(j, end);
      if (close === -1) return -1;
      for (let k = j + 1; k < close; k += 1) if (src[k]! >= 0x80) return -1;
      if (src[close + 1] !== 0x3a || src[close + 2] !== 0x20) return -1;
      keys.push(j + 1, close);
      values.push(close + 3);
      j = this.skip(close + 3, end);
      if (j === -1) return -1;
      if (src[j] === 0x7d) break;
      if (src[j] !== 0x2c || src[j + 1] !== 0x20) return -1;
      j += 2;
    }
    // Insertion sort of the members by key, as canonicalJson sorts them (ASCII: byte order).
    const order = values.map((_, k) => k);
    for (let a = 1; a < order.length; a += 1) {
      const member = order[a]!;
      let b = a - 1;
      while (b >= 0 && this.compareKeys(keys, order[b]!, member) > 0) {
        order[b + 1] = order[b]!;
        b -= 1;
      }
      order[b + 1] = member;
    }
    this.out[this.at++] = 0x7b;
    for (let k = 0; k < order.length; k += 1) {
      const member = order[k]!;
      if (k > 0) this.out[this.at++] = 0x2c;
      this.copy(keys[2 * member]! - 1, keys[2 * member + 1]! + 1);
      this.out[this.at++] = 0x3a;
      if (this.value(values[member]!, end) === -1) return -1;
    }
    this.out[this.at++] = 0x7d;
    return j + 1;
  }

  private array(i: number, end: number): number {
    const src = this.src;
    if (src[i + 1] === 0x5d) return this.copy(i, i + 2);
    this.out[this.at++] = 0x5b;
    let j = i + 1;
    for (;;) {
      j = this.value(j, end);
      if (j === -1) return -1;
      if (src[j] === 0x5d) break;
      if (src[j] !== 0x2c || src[j + 1] !== 0x20) return -1;
      this.out[this.at++] = 0x2c;
      j += 2;
    }
    this.out[this.at++] = 0x5d;
    return j + 1;
  }

  /**
   * An integer or decimal that JSON.stringify(Number(text)) writes the same: at most 15
   * significant digits (they survive the round trip through a double), no exponent, no
   * trailing zero after the point, not below 1e-6 (printed with an exponent), not -0.
   */
  private number(i: number, end: number): number {
    const src = this.src;
    let j = i;
    if (src[j] === 0x2d) j += 1;
    const intStart = j;
    while (j < end && src[j]! >= 0x30 && src[j]! <= 0x39) j += 1;
    const intDigits = j - intStart;
    if (intDigits === 0 || (intDigits > 1 && src[intStart] === 0x30)) return -1;
    let digits = intDigits;
    if (src[j] === 0x2e) {
      const fracStart = j + 1;
      j = fracStart;
      while (j < end && src[j]! >= 0x30 && src[j]! <= 0x39) j += 1;
      if (j === fracStart || src[j - 1] === 0x30) return -1;
      if (intDigits === 1 && src[intStart] === 0x30) {
        let zeros = 0;
        while (src[fracStart + zeros] === 0x30) zeros += 1;
        if (zeros >= 6) return -1;
        digits = j - fracStart - zeros;
      } else digits += j - fracStart;
    } else if (intDigits === 1 && src[intStart] === 0x30 && intStart > i) return -1;
    if (digits > 15) return -1;
    const next = src[j];
    if (j < end && next !== 0x2c && next !== 0x7d && next !== 0x5d) return -1;
    return this.copy(i, j);
  }

  private literal(i: number, end: number, text: string): number {
    if (i + text.length > end) return -1;
    for (let k = 0; k < text.length; k += 1) if (this.src[i + k] !== text.charCodeAt(k)) return -1;
    return this.copy(i, i + text.length);
  }

  /** The index after the value at `i`, without writing it; -1 if malformed. */
  private skip(i: number, end: number): number {
    const src = this.src;
    const first = src[i];
    if (first === 0x22) {
      const close = this.closingQuote(i, end);
      return close === -1 ? -1 : close + 1;
    }
    if (first !== 0x7b && first !== 0x5b) {
      let j = i;
      while (j < end && src[j] !== 0x2c && src[j] !== 0x7d && src[j] !== 0x5d) j += 1;
      return j;
    }
    let depth = 0;
    for (let j = i; j < end; j += 1) {
      const byte = src[j];
      if (byte === 0x22) {
        j = this.closingQuote(j, end);
        if (j === -1) return -1;
      } else if (byte === 0x7b || byte === 0x5b) depth += 1;
      else if (byte === 0x7d || byte === 0x5d) {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }

  /** The closing quote of the string opening at `i` (no backslash: no escaped quote); or -1. */
  private closingQuote(i: number, end: number): number {
    const src = this.src;
    for (let j = i + 1; j < end; j += 1) {
      const byte = src[j];
      if (byte === 0x22) return j;
      if (byte === 0x5c) return -1;
    }
    return -1;
  }

  private compareKeys(keys: readonly number[], a: number, b: number): number {
    const src = this.src;
    let i = keys[2 * a]!;
    let j = keys[2 * b]!;
    const iEnd = keys[2 * a + 1]!;
    const jEnd = keys[2 * b + 1]!;
    for (; i < iEnd && j < jEnd; i += 1, j += 1) if (src[i] !== src[j]) return src[i]! - src[j]!;
    return iEnd - i - (jEnd - j);
  }

  private copy(from: number, to: number): number {
    const { src, out } = this;
    let at = this.at;
    for (let i = from; i < to; i += 1) out[at++] = src[i]!;
    this.at = at;
    return to;
  }
}
