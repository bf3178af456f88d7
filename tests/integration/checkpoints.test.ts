import { spawn } from "node:child_process";
import { desc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  CheckpointRefusedError,
  checkpointPayload,
  findMissingHeads,
  loadHeadSet,
  takeCheckpoint,
  verifyAuditTrail,
} from "../../app/audit/checkpoints.server";
import { merkleRoot } from "../../app/audit/merkle";
import { recordEvent, streamForCase, streamForStaff } from "../../app/audit/record-event.server";
import { createAuditSigner, verifySignature } from "../../app/audit/signing.server";
import type { Db } from "../../db/client";
import {
  auditCheckpointHeads,
  auditCheckpoints,
  auditEvents,
  auditSigningKeys,
  cancellationCases,
} from "../../db/schema";
import { insertCase, insertContract, insertOperator, insertSubscriber } from "../factories";
import { setupPortal } from "../setup/portal";
import { getPage, postForm, signIn } from "../setup/staff-http";
import { setupTestDatabase } from "../setup/test-db";

// Issue #8, decision 009: signed checkpoints over every chain's head, and the verification of
// the whole audit trail against them. Tampering is done as an attacker with database access
// would: with the append-only triggers disabled.

const db = setupTestDatabase();
const app = setupPortal("checkpoints");
const signer = createAuditSigner({ sessionSecret: "checkpoints-test-secret-0123456789abcdef" });
const meta = { ip: null, userAgent: "vitest" };

async function withTriggersDisabled(on: Db, table: string, run: () => Promise<unknown>) {
  await on.execute(sql.raw(`alter table ${table} disable trigger user`));
  try {
    await run();
  } finally {
    await on.execute(sql.raw(`alter table ${table} enable trigger user`));
  }
}

/** A case (its notice and what comes with it), then `views` more events in its chain. */
async function aCase(views = 0) {
  const operator = await insertOperator(db);
  const subscriber = await insertSubscriber(db, { operatorId: operator.id });
  const contract = await insertContract(db, {
    operatorId: operator.id,
    subscriberId: subscriber.id,
    startDate: "2025-01-15",
  });
  const { case: row } = await insertCase(db, {
    operatorId: operator.id,
    subscriber,
    contracts: [contract],
    receivedAt: new Date("2026-11-20T10:15:30.123Z"),
    effectiveEndDate: "2026-12-20",
  });
  let last = null;
  for (let view = 1; view <= views; view += 1)
    last = await recordEvent(db, {
      caseId: row.id,
      type: "case.viewed",
      actor: { type: "subscriber", id: subscriber.id },
      meta,
      data: { view: `page-${view}` },
    });
  const [{ lastSeq } = { lastSeq: 0 }] = await db
    .select({ lastSeq: sql<number>`max(${auditEvents.seq})::int` })
    .from(auditEvents)
    .where(eq(auditEvents.caseId, row.id));
  if (last !== null) expect(last.seq).toBe(lastSeq);
  return { ...row, lastSeq };
}

async function staffEvent(stream: string) {
  await recordEvent(db, {
    stream,
    type: "staff.session",
    actor: { type: "system", id: null },
    meta,
    data: { action: "signed_in" },
  });
}

const headRowsOf = (on: Db, checkpointId: number) =>
  on
    .select({ stream: auditCheckpointHeads.stream, seq: auditCheckpointHeads.seq })
    .from(auditCheckpointHeads)
    .where(eq(auditCheckpointHeads.checkpointId, checkpointId))
    .orderBy(auditCheckpointHeads.stream);

describe("checkpoints", () => {
  it("store only the chains that changed, and loadHeadSet still gives every chain's head", async () => {
    const [a, b, c] = [0, 1, 2].map(() => streamForStaff(crypto.randomUUID())) as [
      string,
      string,
      string,
    ];
    for (const stream of [a, b, c]) await staffEvent(stream);
    const first = await takeCheckpoint(db, signer);
    expect(first.changedStreams).toBe(3);
    expect(first.checkpoint.previousRoot).toBe("0".repeat(64));

    const d = streamForStaff(crypto.randomUUID());
    await staffEvent(b);
    await staffEvent(d);
    const second = await takeCheckpoint(db, signer);
    expect(second.changedStreams).toBe(2);
    expect(await headRowsOf(db, second.checkpoint.id)).toEqual(
      [
        { stream: b, seq: 2 },
        { stream: d, seq: 1 },
      ].sort((x, y) => (x.stream < y.stream ? -1 : 1)),
    );
    const heads = await loadHeadSet(db, second.checkpoint.id);
    expect(heads.map((head) => [head.stream, head.seq])).toEqual(
      [
        [a, 1],
        [b, 2],
        [c, 1],
        [d, 1],
      ].sort(([x], [y]) => ((x as string) < (y as string) ? -1 : 1)),
    );
    expect(merkleRoot(heads)).toBe(second.checkpoint.root);
    expect(second.checkpoint).toMatchObject({
      previousRoot: first.checkpoint.root,
      streams: 4,
      events: 5,
    });
    // An older checkpoint's head set is unchanged by the newer one.
    expect((await loadHeadSet(db, first.checkpoint.id)).find((h) => h.stream === b)?.seq).toBe(1);

    // Nothing changed: still a checkpoint (it dates the state), with the same root.
    const third = await takeCheckpoint(db, signer);
    expect(third.changedStreams).toBe(0);
    expect(third.checkpoint).toMatchObject({
      root: second.checkpoint.root,
      previousRoot: second.checkpoint.root,
    });

    const report = await verifyAuditTrail(db);
    expect(report).toMatchObject({
      ok: true,
      chains: { streams: 4, events: 5, broken: [] },
      checkpoints: { total: 3, verified: 3, problems: [] },
      deletions: { checkpointId: third.checkpoint.id, missing: [] },
    });
  });

  it("detect a case whose events were deleted after the last checkpoint, and name it", async () => {
    const kept = await aCase(1);
    const deleted = await aCase(2);
    const checkpoint = await takeCheckpoint(db, signer);
    await withTriggersDisabled(db, "audit_event", () =>
      db.delete(auditEvents).where(eq(auditEvents.caseId, deleted.id)),
    );

    const report = await verifyAuditTrail(db);
    // The remaining chains are all intact: only the checkpoint shows what is gone.
    expect(report.chains.broken).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.deletions).toEqual({
      checkpointId: checkpoint.checkpoint.id,
      missing: [
        {
          stream: streamForCase(deleted.id),
          caseId: deleted.id,
          caseReference: deleted.reference,
          seq: deleted.lastSeq,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
          problem: "stream_deleted",
          lastSeq: null,
        },
      ],
    });
    expect(report.deletions.missing.map((head) => head.caseId)).not.toContain(kept.id);

    // A new checkpoint would launder the deletion: it is refused, and nothing is signed.
    await expect(takeCheckpoint(db, signer)).rejects.toBeInstanceOf(CheckpointRefusedError);
    const [latest] = await db
      .select({ id: auditCheckpoints.id })
      .from(auditCheckpoints)
      .orderBy(desc(auditCheckpoints.id))
      .limit(1);
    expect(latest!.id).toBe(checkpoint.checkpoint.id);
  });

  it("detect a chain whose last events were cut off", async () => {
    const row = await aCase(3);
    await takeCheckpoint(db, signer);
    await withTriggersDisabled(db, "audit_event", () =>
      db.execute(
        sql`delete from audit_event where case_id = ${row.id} and seq >= ${row.lastSeq - 1}`,
      ),
    );
    const report = await verifyAuditTrail(db);
    // What is left is a valid, shorter chain.
    expect(report.chains.broken).toEqual([]);
    expect(report.ok).toBe(false);
    expect(report.deletions.missing).toMatchObject([
      {
        stream: streamForCase(row.id),
        caseReference: row.reference,
        seq: row.lastSeq,
        problem: "events_deleted",
        lastSeq: row.lastSeq - 2,
      },
    ]);
  });

  it("still catch an event edited in place, naming the first broken link", async () => {
    const row = await aCase(2);
    await takeCheckpoint(db, signer);
    const edited = row.lastSeq - 1;
    await withTriggersDisabled(db, "audit_event", () =>
      db.execute(
        sql`update audit_event set data = '{"view":"forged"}'::jsonb where case_id = ${row.id} and seq = ${edited}`,
      ),
    );
    const report = await verifyAuditTrail(db);
    expect(report.ok).toBe(false);
    expect(report.chains.broken).toMatchObject([
      {
        stream: streamForCase(row.id),
        caseId: row.id,
        caseReference: row.reference,
        seq: edited,
        problem: "hash_mismatch",
      },
    ]);
    // The signed head (the next event) itself is still there with its hash.
    expect(report.deletions.missing).toEqual([]);
  });

  it("reject a forged checkpoint row: its signature no longer verifies", async () => {
    await aCase(1);
    const first = await takeCheckpoint(db, signer);
    await aCase();
    const second = await takeCheckpoint(db, signer);
    const forgedRoot = "f".repeat(64);
    // The forger rewrites the root and the payload consistently, but cannot sign.
    await withTriggersDisabled(db, "audit_checkpoint", () =>
      db
        .update(auditCheckpoints)
        .set({
          root: forgedRoot,
          payload: checkpointPayload({ ...first.checkpoint, root: forgedRoot }),
        })
        .where(eq(auditCheckpoints.id, first.checkpoint.id)),
    );
    const report = await verifyAuditTrail(db);
    expect(report.ok).toBe(false);
    expect(report.checkpoints.problems).toEqual([
      { checkpointId: first.checkpoint.id, problems: ["bad_signature", "bad_root"] },
      { checkpointId: second.checkpoint.id, problems: ["broken_chain"] },
    ]);
    expect(report.checkpoints.verified).toBe(0);
  });

  it("sign a consistent snapshot while 50 writers append, one checkpoint at a time", async () => {
    const cases = await Promise.all(Array.from({ length: 5 }, () => aCase()));
    const [before] = await db.select({ n: sql<number>`count(*)::int` }).from(auditEvents);
    const staff = Array.from({ length: 10 }, () => streamForStaff(crypto.randomUUID()));
    const writers = Array.from({ length: 50 }, async (_, writer) => {
      for (let i = 0; i < 4; i += 1) {
        if (writer % 2 === 0) await staffEvent(staff[(writer + i) % staff.length]!);
        else
          await recordEvent(db, {
            caseId: cases[(writer + i) % cases.length]!.id,
            type: "case.viewed",
            actor: { type: "system", id: null },
            meta,
            data: { view: `w${writer}-${i}` },
          });
      }
    });
    // Three checkpoints asked for at once, while the writers run.
    await Promise.all([
      takeCheckpoint(db, signer),
      takeCheckpoint(db, signer),
      takeCheckpoint(db, signer),
      ...writers,
    ]);

    const checkpoints = await db.select().from(auditCheckpoints).orderBy(auditCheckpoints.id);
    expect(checkpoints).toHaveLength(3);
    for (const checkpoint of checkpoints) {
      const heads = await loadHeadSet(db, checkpoint.id);
      // Every head it signed exists, with that hash…
      expect(await findMissingHeads(db, checkpoint.id)).toEqual([]);
      // … and the count comes from the same snapshot: chains are contiguous from seq 1.
      expect(heads.reduce((sum, head) => sum + head.seq, 0)).toBe(checkpoint.events);
      expect(merkleRoot(heads)).toBe(checkpoint.root);
    }
    // One at a time: each links to the one before it.
    const report = await verifyAuditTrail(db);
    expect(report.checkpoints).toMatchObject({ total: 3, verified: 3, problems: [] });
    expect(report.ok).toBe(true);
    expect(report.chains.events).toBe(before!.n + 200);
  });

  it("are refused UPDATE and DELETE by the database, like their keys and heads", async () => {
    await aCase();
    const { checkpoint } = await takeCheckpoint(db, signer);
    const refused = (table: string, operation: string) => ({
      cause: {
        message: expect.stringMatching(new RegExp(`${table} is append-only: ${operation}`)),
      },
    });
    await expect(db.update(auditCheckpoints).set({ root: "0".repeat(64) })).rejects.toMatchObject(
      refused("audit_checkpoint", "UPDATE"),
    );
    await expect(db.delete(auditCheckpoints)).rejects.toMatchObject(
      refused("audit_checkpoint", "DELETE"),
    );
    await expect(db.update(auditCheckpointHeads).set({ seq: 9 })).rejects.toMatchObject(
      refused("audit_checkpoint_head", "UPDATE"),
    );
    await expect(db.delete(auditCheckpointHeads)).rejects.toMatchObject(
      refused("audit_checkpoint_head", "DELETE"),
    );
    await expect(db.update(auditSigningKeys).set({ publicKeyPem: "forged" })).rejects.toMatchObject(
      refused("audit_signing_key", "UPDATE"),
    );
    await expect(db.delete(auditSigningKeys)).rejects.toMatchObject(
      refused("audit_signing_key", "DELETE"),
    );
    const [still] = await db
      .select()
      .from(auditCheckpoints)
      .where(eq(auditCheckpoints.id, checkpoint.id));
    expect(still).toEqual(checkpoint);
  });
});

/** `npm run audit:verify` against the portal's database, as an operator runs it. */
function auditVerify(
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "db/cli/audit-verify.ts", ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "development",
      DATABASE_URL: app.databaseUrl(),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("the portal", { timeout: 120_000 }, () => {
  it("publishes the signing key at the well-known URLs, and a checkpoint verifies with it", async () => {
    const portalDb = app.db();
    const { checkpoint } = await takeCheckpoint(portalDb, app.portal().auditSigner);

    const response = await fetch(app.url("/.well-known/easy-exit/audit-keys.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
    const { keys } = (await response.json()) as {
      keys: {
        keyId: string;
        algorithm: string;
        publicKeyPem: string;
        firstUsedAt: string | null;
        current: boolean;
      }[];
    };
    const key = keys.find((entry) => entry.keyId === checkpoint.keyId);
    expect(key).toMatchObject({ algorithm: "Ed25519", current: true });
    expect(verifySignature(key!.publicKeyPem, checkpoint.payload, checkpoint.signature)).toBe(true);
    expect(JSON.parse(checkpoint.payload)).toEqual({
      version: 1,
      id: checkpoint.id,
      takenAt: checkpoint.takenAt.toISOString(),
      streams: checkpoint.streams,
      events: checkpoint.events,
      root: checkpoint.root,
      previousRoot: checkpoint.previousRoot,
      keyId: checkpoint.keyId,
    });
    // The root is the Merkle root of the heads it stored, and every one of them is in the trail.
    const heads = await loadHeadSet(portalDb, checkpoint.id);
    expect(heads).toHaveLength(checkpoint.streams);
    expect(merkleRoot(heads)).toBe(checkpoint.root);
    expect(await findMissingHeads(portalDb, checkpoint.id)).toEqual([]);

    const pem = await fetch(app.url("/.well-known/easy-exit/audit-key.pem"));
    expect(pem.status).toBe(200);
    expect(pem.headers.get("content-type")).toBe("application/x-pem-file");
    expect(pem.headers.get("cache-control")).toBe("public, max-age=300");
    expect(await pem.text()).toBe(key!.publicKeyPem);
  });

  it("signs a checkpoint every hour at minute 5, Paris time", async () => {
    const rows = await app
      .db()
      .execute<{ cron: string; timezone: string }>(
        sql`select cron, timezone from pgboss.schedule where name = 'audit.checkpoint'`,
      );
    expect([...rows]).toEqual([{ cron: "5 * * * *", timezone: "Europe/Paris" }]);
  });

  it("shows the checkpoints, the key and a verification run from the compliance page", async () => {
    const compliance = await signIn(app.url, "compliance@example.com");
    const page = await getPage(app.url("/staff/conformite"), compliance);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Points de contrôle signés");
    expect(html).toContain(app.portal().auditSigner.keyId);
    expect(html).toContain("Signature vérifiée");
    for (const path of ["exports", "indicateurs", "acces", "conservation"])
      expect(html).toContain(`href="/staff/conformite/${path}"`);

    const verified = await postForm(
      app.url("/staff/conformite"),
      { intent: "verify" },
      { cookie: compliance },
    );
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain("Le journal d’audit est intact.");
    const [event] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.type, "audit.verified"))
      .orderBy(desc(auditEvents.id))
      .limit(1);
    expect(event).toMatchObject({ actorType: "staff", data: { ok: true, brokenChains: 0 } });
    expect(event!.stream).toMatch(/^staff:/);

    // Compliance makes no changes: signing a checkpoint by hand is admin's.
    const refused = await postForm(
      app.url("/staff/conformite"),
      { intent: "checkpoint" },
      { cookie: compliance },
    );
    expect(refused.status).toBe(403);
    const admin = await signIn(app.url, "admin@example.com");
    const taken = await postForm(
      app.url("/staff/conformite"),
      { intent: "checkpoint" },
      { cookie: admin },
    );
    expect(taken.status).toBe(200);
    expect(await taken.text()).toMatch(/Point de contrôle n°\d+ signé/);
  });

  it("npm run audit:verify exits 0 on the demo data and 1, naming the case, after a deletion", async () => {
    const ok = await auditVerify();
    expect(ok.stdout, ok.stderr).toMatch(/\nOK$/m);
    // The demo seed ends with a first checkpoint, verified with the rest.
    expect(ok.stdout).toMatch(/Checkpoints: all \d+ verified/);
    expect(ok.code).toBe(0);

    const portalDb = app.db();
    const [victim] = await portalDb
      .select({ id: cancellationCases.id, reference: cancellationCases.reference })
      .from(cancellationCases)
      .innerJoin(auditEvents, eq(auditEvents.caseId, cancellationCases.id))
      .limit(1);
    await withTriggersDisabled(portalDb, "audit_event", () =>
      portalDb.delete(auditEvents).where(eq(auditEvents.caseId, victim!.id)),
    );

    const broken = await auditVerify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`${streamForCase(victim!.id)} (case ${victim!.reference})`);
    expect(broken.stdout).toContain("BROKEN");
    const json = await auditVerify(["--json"]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as Awaited<ReturnType<typeof verifyAuditTrail>>;
    expect(report.ok).toBe(false);
    expect(report.deletions.missing).toMatchObject([
      { caseId: victim!.id, caseReference: victim!.reference, problem: "stream_deleted" },
    ]);

    // The compliance page names it too.
    const compliance = await signIn(app.url, "compliance@example.com");
    const page = await postForm(
      app.url("/staff/conformite"),
      { intent: "verify" },
      { cookie: compliance },
    );
    const html = await page.text();
    expect(html).toContain("Le journal d’audit ne se vérifie pas.");
    expect(html).toContain(victim!.reference);
    expect(html).toContain(`href="/staff/dossiers/${victim!.id}"`);
  });
});
