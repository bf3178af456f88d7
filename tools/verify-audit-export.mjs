#!/usr/bin/env node
// Easy Exit — standalone verifier of an audit trail export (docs/decisions/009).
//
//   node verify-audit-export.mjs <export file> --public-key <audit-key.pem | audit-keys.json>
//                                [--manifest <export file>.manifest.json]
//
// One file, Node.js ≥ 18 built-ins only, nothing imported from the portal: a third party (a
// regulator, a court expert) copies this file alone. It checks, with the operator's public key:
//   1. the manifest's signature, and the signature of the checkpoint it names;
//   2. the file's SHA-256 and byte count against the manifest;
//   3. every hash chain in the file: each row's hash recomputed from its content, each
//      prev_hash equal to the previous row's hash, sequence numbers without holes (holes and
//      chains starting after their first event are accepted only when the export's filters
//      explain them: a period, event types or an actor);
//   4. each anchor: the chain head in the file has the hash the checkpoint signed, and its
//      Merkle inclusion proof leads to the checkpoint's signed root;
//   5. exit status 0 with "OK: N rows, M streams, checkpoint #K", 1 naming the first problem
//      (with its line number), 2 for bad arguments or files that cannot be read.
//
// The hashing rules re-implemented here (keep them in step with app/audit/canonical.ts,
// app/audit/record-event.server.ts and app/audit/merkle.ts):
//   hash = SHA-256( prev_hash ‖ "\n" ‖ canonical JSON of { stream, seq, caseId, type,
//          actor: { type, id }, data, ip, userAgent, occurredAt } )
//   canonical JSON: keys sorted by UTF-16 code units, no whitespace, JSON.stringify for scalars;
//   Merkle leaf = SHA-256(0x00 ‖ "<stream>\t<seq>\t<hash>"), node = SHA-256(0x01 ‖ left ‖ right).
// In the CSV (RFC 4180, CRLF), an empty unquoted field is null and "" an empty string.

import { Buffer } from "node:buffer";
import console from "node:console";
import crypto, { createHash, createPublicKey, verify } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { Transform } from "node:stream";
import process from "node:process";
import { pipeline } from "node:stream/promises";
import { TextDecoder } from "node:util";
import { createGunzip } from "node:zlib";

const COLUMNS = [
  "id",
  "stream",
  "seq",
  "case_id",
  "type",
  "actor_type",
  "actor_id",
  "occurred_at",
  "ip",
  "user_agent",
  "data",
  "prev_hash",
  "hash",
];
const GENESIS = "0".repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const USAGE = `Usage: node verify-audit-export.mjs <export file> --public-key <audit-key.pem | audit-keys.json> [--manifest <file>]

Verifies an Easy Exit audit trail export (CSV or JSON Lines, gzipped or not) against its signed
manifest (by default <export file>.manifest.json) with the operator's public key, published at
https://<portal>/.well-known/easy-exit/audit-key.pem (or every key, for exports signed before a
key rotation: /.well-known/easy-exit/audit-keys.json). --public-key may be given more than once.

Exit status: 0 verified; 1 a check failed (the first problem is named, with its line number);
2 bad arguments or a file that cannot be read.`;

class UsageError extends Error {}

/** A failed check: what is wrong, and where (a line of the export file) when known. */
class Problem extends Error {
  constructor(message, line) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.line = line;
  }
}

// ---------------------------------------------------------------------------------------------
// Hashing rules
// ---------------------------------------------------------------------------------------------

function canonicalJson(value) {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value))
      throw new TypeError("non-finite number");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i += 1)
      out += `${i > 0 ? "," : ""}${canonicalJson(value[i] ?? null)}`;
    return `${out}]`;
  }
  // Array.prototype.sort compares UTF-16 code units by default.
  const keys = Object.keys(value).sort();
  let out = "{";
  for (const key of keys) {
    if (value[key] === undefined) continue;
    out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(value[key])}`;
  }
  return `${out}}`;
}

const digestHex =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => createHash("sha256").update(text).digest("hex");

/**
 * The hash of a row. The body is canonicalJson({ stream, seq, caseId, type, actor: { type, id },
 * data, ip, userAgent, occurredAt }), written out here in its canonical key order (actor, caseId,
 * data, ip, occurredAt, seq, stream, type, userAgent; id before type) with `data` already in
 * canonical form: the same string, without building the object for each of a million rows.
 */
function eventHash(row) {
  const json = JSON.stringify;
  const body =
    `{"actor":{"id":${json(row.actorId)},"type":${json(row.actorType)}},"caseId":${json(row.caseId)},` +
    `"data":${row.dataJson},"ip":${json(row.ip)},"occurredAt":${json(row.occurredAt)},"seq":${row.seq},` +
    `"stream":${json(row.stream)},"type":${json(row.type)},"userAgent":${json(row.userAgent)}}`;
  return digestHex(`${row.prevHash}\n${body}`);
}

const sha256 = (...parts) => {
  const digest = createHash("sha256");
  for (const part of parts) digest.update(part);
  return digest.digest();
};

function rootFromProof(anchor) {
  let hash = sha256(
    Buffer.from([0]),
    Buffer.from(`${anchor.stream}\t${anchor.seq}\t${anchor.hash}`, "utf8"),
  );
  for (const step of anchor.proof) {
    const sibling = Buffer.from(step.hash, "hex");
    hash =
      step.side === "L"
        ? sha256(Buffer.from([1]), sibling, hash)
        : sha256(Buffer.from([1]), hash, sibling);
  }
  return hash.toString("hex");
}

// ---------------------------------------------------------------------------------------------
// Arguments, keys, manifest
// ---------------------------------------------------------------------------------------------

function parseArguments(argv) {
  const options = { file: undefined, manifest: undefined, keys: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      i += 1;
      return next;
    };
    if (arg === "--help" || arg === "-h") return null;
    else if (arg === "--public-key") options.keys.push(value());
    else if (arg.startsWith("--public-key=")) options.keys.push(arg.slice("--public-key=".length));
    else if (arg === "--manifest") options.manifest = value();
    else if (arg.startsWith("--manifest=")) options.manifest = arg.slice("--manifest=".length);
    else if (arg.startsWith("--")) throw new UsageError(`unknown option ${arg}`);
    else if (options.file === undefined) options.file = arg;
    else throw new UsageError(`one export file at a time (got ${options.file} and ${arg})`);
  }
  if (options.file === undefined) throw new UsageError("the export file is missing");
  if (options.keys.length === 0)
    throw new UsageError("--public-key is required (the operator's audit-key.pem)");
  options.manifest ??= `${options.file}.manifest.json`;
  return options;
}

function readText(path, what) {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${path}: ${error.code ?? error.message}`);
  }
}

function keyIdOf(publicKey) {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex")
    .slice(0, 16);
}

/** keyId → public key, from PEM files and/or audit-keys.json files. */
function loadKeys(paths) {
  const keys = new Map();
  const add = (pem, source) => {
    let key;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new UsageError(`${source} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== "ed25519")
      throw new UsageError(`${source} is not an Ed25519 key (it is ${key.asymmetricKeyType})`);
    keys.set(keyIdOf(key), key);
    return keyIdOf(key);
  };
  for (const path of paths) {
    if (/^https?:\/\//i.test(path))
      throw new UsageError(
        `--public-key takes a file: save the key first, e.g. curl -o audit-key.pem ${path}`,
      );
    const text = readText(path, "public key");
    if (text.trimStart().startsWith("{")) {
      let published;
      try {
        published = JSON.parse(text);
      } catch {
        throw new UsageError(`${path} is neither a PEM key nor valid JSON`);
      }
      if (!Array.isArray(published?.keys)) throw new UsageError(`${path} has no "keys" list`);
      for (const entry of published.keys) {
        const keyId = add(String(entry?.publicKeyPem ?? ""), `${path} (key ${entry?.keyId})`);
        if (entry.keyId !== keyId)
          throw new UsageError(`${path}: key ${entry.keyId} is in fact key ${keyId}`);
      }
    } else add(text, path);
  }
  return keys;
}

function checkSignature(keys, keyId, payload, signature, what) {
  const key = keys.get(keyId);
  if (!key)
    throw new Problem(
      `${what} is signed with key ${keyId}, but the public key given is ${[...keys.keys()].join(", ")}: wrong public key?`,
    );
  let valid = false;
  try {
    valid = verify(
      null,
      Buffer.from(payload, "utf8"),
      key,
      Buffer.from(String(signature), "base64"),
    );
  } catch {
    valid = false;
  }
  if (!valid) throw new Problem(`the signature of ${what} is not valid under key ${keyId}`);
}

function readManifest(path) {
  const text = readText(path, "manifest");
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new Problem(`the manifest ${path} is not valid JSON`);
  }
  const fail = (what) => {
    throw new Problem(`the manifest ${path} is not an Easy Exit export manifest (${what})`);
  };
  if (manifest === null || typeof manifest !== "object") fail("not an object");
  if (manifest.version !== 1) fail(`version ${manifest.version}`);
  if (manifest.format !== "csv" && manifest.format !== "jsonl") fail("format");
  if (typeof manifest.gzip !== "boolean") fail("gzip");
  if (!Number.isSafeInteger(manifest.bytes) || !Number.isSafeInteger(manifest.rows)) fail("counts");
  if (!HEX64.test(manifest.sha256 ?? "")) fail("sha256");
  if (typeof manifest.keyId !== "string" || typeof manifest.signature !== "string")
    fail("signature");
  if (manifest.filters === null || typeof manifest.filters !== "object") fail("filters");
  if (manifest.anchors !== null && !Array.isArray(manifest.anchors)) fail("anchors");
  return manifest;
}

/** Whether the filters pick rows inside chains (so holes and late starts are expected). */
function selectsWithinChains(filters) {
  return Boolean(
    filters.from ||
    filters.to ||
    (Array.isArray(filters.types) && filters.types.length > 0) ||
    filters.actorType ||
    filters.actorId,
  );
}

// ---------------------------------------------------------------------------------------------
// Reading the rows: CSV (RFC 4180) and JSON Lines
// ---------------------------------------------------------------------------------------------

/**
 * An incremental RFC 4180 reader: `push(text)` then `records()` yields complete records as
 * { line, fields, quoted }, where an unquoted empty field is null and a quoted one "".
 */
class CsvReader {
  constructor() {
    this.text = "";
    this.line = 1;
  }

  push(text) {
    this.text += text;
  }

  *records(final) {
    let start = 0;
    for (;;) {
      const record = this.parse(start, final);
      if (record === null) break;
      yield { line: this.line, fields: record.fields, quoted: record.quoted };
      this.line += 1 + record.newlines;
      start = record.end;
      if (start >= this.text.length) break;
    }
    this.text = this.text.slice(start);
    if (final && this.text.length > 0)
      throw new Problem("the file ends in the middle of a record (no final CRLF)", this.line);
  }

  /** One record from `start`, or null when the text so far ends inside it. */
  parse(start, final) {
    const text = this.text;
    const fields = [];
    const quoted = [];
    let newlines = 0;
    let i = start;
    if (i >= text.length) return null;
    for (;;) {
      if (text.charCodeAt(i) === 34) {
        // A quoted field: up to the closing quote; "" is one quote.
        let value = "";
        let j = i + 1;
        for (;;) {
          const quote = text.indexOf('"', j);
          if (quote === -1) return null;
          value += text.slice(j, quote);
          if (quote + 1 >= text.length && !final) return null;
          if (text.charCodeAt(quote + 1) === 34) {
            value += '"';
            j = quote + 2;
            continue;
          }
          j = quote + 1;
          break;
        }
        for (let k = value.indexOf("\n"); k !== -1; k = value.indexOf("\n", k + 1)) newlines += 1;
        fields.push(value);
        quoted.push(true);
        i = j;
      } else {
        let j = i;
        for (; j < text.length; j += 1) {
          const code = text.charCodeAt(j);
          if (code === 44 || code === 13 || code === 10) break;
          if (code === 34)
            throw new Problem(
              "a quote inside an unquoted field (not RFC 4180)",
              this.line + newlines,
            );
        }
        if (j >= text.length && !final) return null;
        fields.push(j === i ? null : text.slice(i, j));
        quoted.push(false);
        i = j;
      }
      // After a field: a comma, the end of the record (CRLF), or the end of the file.
      if (i >= text.length) {
        if (!final) return null;
        throw new Problem("the last record has no final CRLF", this.line + newlines);
      }
      const code = text.charCodeAt(i);
      if (code === 44) {
        i += 1;
        continue;
      }
      if (code === 13) {
        if (i + 1 >= text.length && !final) return null;
        if (text.charCodeAt(i + 1) !== 10)
          throw new Problem("a carriage return without line feed", this.line + newlines);
        return { fields, quoted, newlines, end: i + 2 };
      }
      if (code === 10)
        throw new Problem(
          "a line ends with LF instead of CRLF (not RFC 4180)",
          this.line + newlines,
        );
      throw new Problem("text after a closing quote", this.line + newlines);
    }
  }
}

function csvRow(record) {
  const { line, fields, quoted } = record;
  if (fields.length !== COLUMNS.length)
    throw new Problem(`${fields.length} fields instead of ${COLUMNS.length}`, line);
  const text = (index) => fields[index];
  const required = (index) => {
    const value = fields[index];
    if (value === null || value === "") throw new Problem(`${COLUMNS[index]} is empty`, line);
    return value;
  };
  const dataText = required(10);
  let data;
  try {
    data = JSON.parse(dataText);
  } catch {
    throw new Problem("data is not valid JSON", line);
  }
  if (data === null || typeof data !== "object" || canonicalJson(data) !== dataText)
    throw new Problem("data is not a JSON object in canonical form", line);
  if (!quoted[10] && /[",\r\n]/.test(dataText)) throw new Problem("data should be quoted", line);
  return checkedRow(line, {
    id: required(0),
    stream: required(1),
    seq: required(2),
    caseId: text(3),
    type: required(4),
    actorType: required(5),
    actorId: text(6),
    occurredAt: required(7),
    ip: text(8),
    userAgent: text(9),
    dataJson: dataText,
    prevHash: required(11),
    hash: required(12),
  });
}

function jsonRow(line, text) {
  let object;
  try {
    object = JSON.parse(text);
  } catch {
    throw new Problem("not a valid JSON object", line);
  }
  if (object === null || typeof object !== "object" || Array.isArray(object))
    throw new Problem("not a JSON object", line);
  if (Object.keys(object).join(",") !== COLUMNS.join(","))
    throw new Problem(`the keys are not ${COLUMNS.join(", ")} in this order`, line);
  for (const key of ["id", "seq"])
    if (!Number.isSafeInteger(object[key])) throw new Problem(`${key} is not an integer`, line);
  for (const key of ["stream", "type", "actor_type", "occurred_at", "prev_hash", "hash"])
    if (typeof object[key] !== "string") throw new Problem(`${key} is not a string`, line);
  for (const key of ["case_id", "actor_id", "ip", "user_agent"])
    if (object[key] !== null && typeof object[key] !== "string")
      throw new Problem(`${key} is neither a string nor null`, line);
  if (object.data === null || typeof object.data !== "object")
    throw new Problem("data is not a JSON object", line);
  return checkedRow(line, {
    id: String(object.id),
    stream: object.stream,
    seq: String(object.seq),
    caseId: object.case_id,
    type: object.type,
    actorType: object.actor_type,
    actorId: object.actor_id,
    occurredAt: object.occurred_at,
    ip: object.ip,
    userAgent: object.user_agent,
    dataJson: canonicalJson(object.data),
    prevHash: object.prev_hash,
    hash: object.hash,
  });
}

function checkedRow(line, row) {
  if (!/^[1-9]\d*$/.test(row.id)) throw new Problem("id is not a positive integer", line);
  if (!/^[1-9]\d{0,9}$/.test(row.seq)) throw new Problem("seq is not a positive integer", line);
  if (!ISO_INSTANT.test(row.occurredAt))
    throw new Problem("occurred_at is not an ISO 8601 UTC instant with milliseconds", line);
  if (!HEX64.test(row.prevHash)) throw new Problem("prev_hash is not 64 hex digits", line);
  if (!HEX64.test(row.hash)) throw new Problem("hash is not 64 hex digits", line);
  row.line = line;
  row.seq = Number(row.seq);
  return row;
}

// ---------------------------------------------------------------------------------------------
// The chains
// ---------------------------------------------------------------------------------------------

class ChainChecker {
  constructor(manifest) {
    this.withinChains = selectsWithinChains(manifest.filters);
    this.rows = 0;
    this.streams = 0;
    this.lateStarts = 0;
    this.gaps = 0;
    this.seen = new Set();
    this.current = null;
    this.anchors = new Map((manifest.anchors ?? []).map((anchor) => [anchor.stream, anchor]));
    this.anchored = 0;
  }

  add(row) {
    const { line } = row;
    const current = this.current;
    if (current === null || current.stream !== row.stream) {
      if (this.seen.has(row.stream))
        throw new Problem(`the rows of chain ${row.stream} are not together (seen before)`, line);
      // A copy: a field sliced from the text read would keep that whole chunk of the file alive.
      this.seen.add(`${row.stream} `.slice(0, -1));
      this.streams += 1;
      if (row.seq === 1) {
        if (row.prevHash !== GENESIS)
          throw new Problem(
            `chain ${row.stream} starts at seq 1 but its prev_hash is not 64 zeros`,
            line,
          );
      } else if (this.withinChains) this.lateStarts += 1;
      else
        throw new Problem(
          `chain ${row.stream} starts at seq ${row.seq}: events 1 to ${row.seq - 1} are missing, and the export's filters do not explain it`,
          line,
        );
    } else if (row.seq <= current.seq) {
      throw new Problem(`chain ${row.stream}: seq ${row.seq} comes after seq ${current.seq}`, line);
    } else if (row.seq === current.seq + 1) {
      if (row.prevHash !== current.hash)
        throw new Problem(
          `chain ${row.stream}, seq ${row.seq}: prev_hash is not the hash of seq ${current.seq} (line ${current.line}): the chain is broken`,
          line,
        );
    } else if (this.withinChains) this.gaps += 1;
    else
      throw new Problem(
        `chain ${row.stream}: seq ${current.seq} is followed by seq ${row.seq} (events missing), and the export's filters do not explain it`,
        line,
      );
    if (eventHash(row) !== row.hash)
      throw new Problem(
        `chain ${row.stream}, seq ${row.seq}: the hash does not match the row's content (the row was changed)`,
        line,
      );
    const anchor = this.anchors.get(row.stream);
    if (anchor && anchor.seq === row.seq) {
      if (anchor.hash !== row.hash)
        throw new Problem(
          `chain ${row.stream}, seq ${row.seq}: the checkpoint signed another hash for this event (${anchor.hash})`,
          line,
        );
      anchor.found = true;
      this.anchored += 1;
    }
    this.rows += 1;
    this.current = { stream: row.stream, seq: row.seq, hash: row.hash, line };
  }
}

// ---------------------------------------------------------------------------------------------
// The file: bytes hashed as they are read, rows checked as they are decoded
// ---------------------------------------------------------------------------------------------

async function readExport(path, manifest, checker) {
  const digest = createHash("sha256");
  let bytes = 0;
  let problem = null;
  const note = (error) => {
    if (problem !== null) return;
    if (error instanceof Problem) problem = error;
    else if (error instanceof TypeError && error.code === "ERR_ENCODING_INVALID_ENCODED_DATA")
      problem = new Problem("the file is not valid UTF-8");
    else throw error;
  };
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const csv = manifest.format === "csv" ? new CsvReader() : null;
  let header = manifest.format === "csv";
  let pending = "";
  let line = 0;

  const consume = (text, final) => {
    if (csv) {
      csv.push(text);
      for (const record of csv.records(final)) {
        if (header) {
          header = false;
          if (record.fields.join(",") !== COLUMNS.join(","))
            throw new Problem(`the header is not ${COLUMNS.join(",")}`, record.line);
          continue;
        }
        checker.add(csvRow(record));
      }
      return;
    }
    pending += text;
    let start = 0;
    for (let end = pending.indexOf("\n"); end !== -1; end = pending.indexOf("\n", start)) {
      line += 1;
      checker.add(jsonRow(line, pending.slice(start, end)));
      start = end + 1;
    }
    pending = pending.slice(start);
    if (final && pending.length > 0)
      throw new Problem("the last line has no final line feed", line + 1);
  };

  const tap = new Transform({
    transform(chunk, _encoding, callback) {
      digest.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const stages = [createReadStream(path, { highWaterMark: 1 << 20 }), tap];
  if (manifest.gzip) stages.push(createGunzip());
  try {
    await pipeline(...stages, async (source) => {
      for await (const chunk of source) {
        if (problem !== null) continue; // keep reading: the file's hash is checked whatever
        try {
          consume(decoder.decode(chunk, { stream: true }), false);
        } catch (error) {
          note(error);
        }
      }
      if (problem === null) {
        try {
          consume(decoder.decode(), true);
          if (header) throw new Problem("the file is empty (no header)");
        } catch (error) {
          note(error);
        }
      }
    });
  } catch (error) {
    if (error?.code === "ENOENT" || error?.code === "EACCES" || error?.code === "EISDIR")
      throw new UsageError(`cannot read the export file ${path}: ${error.code}`);
    // Not gzip, or a truncated gzip: say so, and hash the file's bytes alone.
    problem ??= new Problem(`the file cannot be decompressed (${error.message})`);
    const again = await hashFile(path);
    return { bytes: again.bytes, sha256: again.sha256, problem };
  }
  return { bytes, sha256: digest.digest("hex"), problem };
}

async function hashFile(path) {
  const digest = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    digest.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: digest.digest("hex") };
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(argv) {
  const options = parseArguments(argv);
  if (options === null) {
    console.log(USAGE);
    return 0;
  }
  const keys = loadKeys(options.keys);
  const failures = [];
  const report = (label, text) => console.log(`${label.padEnd(11)}${text}`);

  // 1. Signatures: the manifest's, then the checkpoint's.
  const manifest = readManifest(options.manifest);
  const { signature, ...unsigned } = manifest;
  checkSignature(keys, manifest.keyId, canonicalJson(unsigned), signature, "the manifest");
  report(
    "Manifest",
    `${manifest.file} (${manifest.format}${manifest.gzip ? ", gzip" : ""}), made ${manifest.createdAt} by ${manifest.createdBy}: signature valid (key ${manifest.keyId})`,
  );
  let root = null;
  const checkpoint = manifest.checkpoint;
  if (checkpoint !== null && checkpoint !== undefined) {
    let payload;
    try {
      payload = JSON.parse(checkpoint.payload);
    } catch {
      throw new Problem("the checkpoint's payload is not valid JSON");
    }
    if (payload.id !== checkpoint.id || payload.keyId !== checkpoint.keyId)
      throw new Problem("the checkpoint's id or key differs from its signed payload");
    if (!HEX64.test(payload.root ?? "")) throw new Problem("the checkpoint's payload has no root");
    checkSignature(
      keys,
      checkpoint.keyId,
      checkpoint.payload,
      checkpoint.signature,
      `checkpoint #${checkpoint.id}`,
    );
    root = payload.root;
    report(
      "Checkpoint",
      `#${checkpoint.id} taken ${payload.takenAt} over ${payload.streams} chains and ${payload.events} events: signature valid (key ${checkpoint.keyId})`,
    );
  } else {
    report("Checkpoint", "none at export time: the file is checked against the manifest alone");
  }
  if (manifest.anchors !== null && root === null)
    throw new Problem("the manifest has anchors but no checkpoint");

  // 4 (first half). Each anchor's proof leads to the signed root.
  for (const anchor of manifest.anchors ?? []) {
    if (
      typeof anchor?.stream !== "string" ||
      !Number.isSafeInteger(anchor.seq) ||
      !HEX64.test(anchor.hash ?? "") ||
      !Array.isArray(anchor.proof) ||
      anchor.proof.some(
        (step) => (step?.side !== "L" && step?.side !== "R") || !HEX64.test(step?.hash ?? ""),
      )
    )
      throw new Problem(`the manifest's anchor for ${anchor?.stream} is malformed`);
    if (rootFromProof(anchor) !== root)
      throw new Problem(
        `the inclusion proof of chain ${anchor.stream} (seq ${anchor.seq}) does not lead to the root of checkpoint #${checkpoint.id}`,
      );
  }

  // 2 and 3. The file: its bytes, then its rows and chains.
  const checker = new ChainChecker(manifest);
  const file = await readExport(options.file, manifest, checker);
  if (file.problem) failures.push(file.problem.message);
  if (file.sha256 !== manifest.sha256 || file.bytes !== manifest.bytes)
    failures.push(
      `the file (${file.bytes} bytes, SHA-256 ${file.sha256}) is not the one the manifest describes (${manifest.bytes} bytes, SHA-256 ${manifest.sha256})`,
    );
  else report("File", `${file.bytes} bytes, SHA-256 ${file.sha256}: as in the manifest`);
  if (!file.problem) {
    if (checker.rows !== manifest.rows)
      failures.push(`the file has ${checker.rows} rows, the manifest says ${manifest.rows}`);
    const explained =
      checker.lateStarts + checker.gaps > 0
        ? ` (${checker.lateStarts} chains start after their first event and ${checker.gaps} holes, as the filters select)`
        : "";
    report(
      "Chains",
      `${checker.rows} rows in ${checker.streams} chains: every hash recomputed and linked${explained}`,
    );
    // 4 (second half). Each anchored head is in the file.
    const missing = (manifest.anchors ?? []).find((anchor) => !anchor.found);
    if (missing)
      failures.push(
        `chain ${missing.stream}: the anchored event seq ${missing.seq} is not in the file`,
      );
    else if (manifest.anchors !== null)
      report(
        "Anchors",
        `${checker.anchored} chain heads lead to the root of checkpoint #${checkpoint.id}`,
      );
    else report("Anchors", `none (${manifest.anchorsOmitted ?? "not given"})`);
  }

  if (failures.length > 0) {
    for (const failure of failures) console.error(`FAIL: ${failure}`);
    return 1;
  }
  console.log(
    `OK: ${checker.rows} rows, ${checker.streams} streams, ${checkpoint ? `checkpoint #${checkpoint.id}` : "no checkpoint"}`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof Problem) {
      console.error(`FAIL: ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 2;
    }
  },
);
