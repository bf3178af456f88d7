import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../app/audit/canonical";
import { latestCheckpoint, takeCheckpoint } from "../../app/audit/checkpoints.server";
import { rootFromProof, type ProofStep } from "../../app/audit/merkle";
import { verifySignature } from "../../app/audit/signing.server";
import { verifyCaseChain, verifyStream } from "../../app/audit/verify-chain.server";
import { newToken } from "../../app/auth/tokens.server";
import { SurveyAnswerSchema } from "../../app/routes/public/survey-schema";
import { buildEvidencePack } from "../../app/services/evidence-pack/build-evidence-pack.server";
import { loadEvidenceSnapshot } from "../../app/services/evidence-pack/load-evidence-snapshot.server";
import { notifyCancellation } from "../../app/services/notify-cancellation.server";
import { saveSurveyAnswer } from "../../app/services/save-survey-answer.server";
import { zipArchiveBytes } from "../../app/services/zip-archive.server";
import {
  auditCheckpoints,
  auditEvents,
  contracts,
  documents,
  emailMessages,
  subscribers,
  type Subscriber,
} from "../../db/schema";
import { PORTAL_TEST_SECRET } from "../setup/databases";
import { setupPortal } from "../setup/portal";
import { getPage, signIn } from "../setup/staff-http";
import { unzip, type UnzippedEntry } from "../setup/unzip";

// Issue #8's evidence pack and subject-access export over HTTP against the real portal
// (production build, seeded Postgres, its job workers and a real SMTP server). Camille Martin
// notifies; the portal renders her letter and return label and emails the acknowledgment; a
// checkpoint is signed; compliance downloads the pack and every claim in it is checked with
// independent tools: yauzl, pdftotext, SHA-256, the Merkle proof, the published public key and
// the standalone verifier.
const app = setupPortal("evidence_pack");

const meta = { ip: "203.0.113.80", userAgent: "vitest evidence pack" };
const sha256 = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");
const workDir = mkdtempSync(path.join(tmpdir(), "evidence-pack-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Notified {
  subscriber: Subscriber;
  caseId: string;
  reference: string;
  token: string;
}

/** A seeded subscriber notifies the cancellation of their first contract (the real service). */
async function notify(customerNumber: string): Promise<Notified> {
  const db = app.db();
  const [subscriber] = await db
    .select()
    .from(subscribers)
    .where(eq(subscribers.customerNumber, customerNumber));
  if (!subscriber) throw new Error(`no seeded subscriber ${customerNumber}`);
  const [contract] = await db
    .select()
    .from(contracts)
    .where(eq(contracts.subscriberId, subscriber.id))
    .orderBy(asc(contracts.contractNumber));
  const result = await notifyCancellation(
    { db, jobs: app.portal().jobs, secret: PORTAL_TEST_SECRET },
    {
      subscriberId: subscriber.id,
      contractIds: [contract!.id],
      acknowledgmentEmail: subscriber.email,
      endDate: { kind: "earliest" },
      legitimateReason: null,
      proof: null,
      idempotencyKey: `evidence-pack-${customerNumber}`,
      language: "fr",
      identifiedAt: new Date(Date.now() - 120_000),
      summaryShownAt: new Date(Date.now() - 60_000),
      meta,
    },
  );
  if (result.kind !== "notified") throw new Error(`notify failed: ${result.kind}`);
  return { subscriber, caseId: result.caseId, reference: result.reference, token: result.token };
}

async function download(url: string, cookie?: string) {
  const response = await getPage(app.url(url), cookie);
  expect(response.status, url).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  expect(response.headers.get("cache-control")).toBe("private, no-store");
  const archive = Buffer.from(await response.arrayBuffer());
  return {
    disposition: response.headers.get("content-disposition"),
    entries: await unzip(archive),
  };
}

function entry(entries: UnzippedEntry[], name: string): Buffer {
  const found = entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} is not in the archive`);
  return found.bytes;
}

const json = <T>(bytes: Buffer) => JSON.parse(bytes.toString("utf8")) as T;

interface ExportedEvent {
  id: number;
  stream: string;
  seq: number;
  type: string;
  actor_type: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const eventsOf = (bytes: Buffer) =>
  bytes
    .toString("utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as ExportedEvent);

let writes = 0;
function tool(name: "pdftotext", bytes: Buffer, args: string[]): string {
  writes += 1;
  const file = path.join(workDir, `file-${writes}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync(`/usr/bin/${name}`, [...args, file, "-"], { encoding: "utf8" });
}

interface SignedManifest {
  files: { path: string; bytes: number; sha256: string }[];
  documents: { id: string; kind: string; path: string | null; sha256: string }[];
  keyId: string;
  signature: string;
}

/** The public keys the portal publishes: what a third party checks signatures with. */
async function publishedKeys(): Promise<{ keyId: string; publicKeyPem: string }[]> {
  const response = await getPage(app.url("/.well-known/easy-exit/audit-keys.json"));
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: { keyId: string; publicKeyPem: string }[] }).keys;
}

let camille: Notified;
let lucas: Notified;
const cookies: Record<"compliance" | "operations" | "agent" | "admin", string> = {
  compliance: "",
  operations: "",
  agent: "",
  admin: "",
};

beforeAll(async () => {
  camille = await notify("C-100001");
  lucas = await notify("C-100002");
  const db = app.db();
  // The exit survey with consent to be called back: it goes to the win-back queue.
  await saveSurveyAnswer(db, {
    caseId: camille.caseId,
    subscriberId: camille.subscriber.id,
    meta,
    answer: SurveyAnswerSchema.parse({
      reason: "price",
      details: "Trop cher depuis la hausse de mars",
      wouldComeBack: "6",
      contactConsent: "yes",
      contactChannel: "phone",
      contactWindow: "evening",
    }),
  });
  // The portal's workers render the letter and the label and email the acknowledgment.
  await app.smtp().waitFor((message) => message.subject?.includes(camille.reference) ?? false);
  await until(async () => {
    const [email] = await db
      .select()
      .from(emailMessages)
      .where(
        and(eq(emailMessages.caseId, camille.caseId), eq(emailMessages.kind, "acknowledgment")),
      );
    const stored = await db
      .select({ kind: documents.kind })
      .from(documents)
      .where(eq(documents.caseId, camille.caseId));
    const kinds = stored.map((document) => document.kind).sort();
    return email?.status === "sent" && kinds.join() === "return_label,termination_letter"
      ? true
      : undefined;
  });
  // A checkpoint signs every chain's head, Camille's among them.
  await takeCheckpoint(db, app.portal().auditSigner);
  cookies.compliance = await signIn(app.url, "compliance@example.com");
  cookies.operations = await signIn(app.url, "ops@example.com");
  cookies.agent = await signIn(app.url, "agent@example.com");
  cookies.admin = await signIn(app.url, "admin@example.com");
}, 120_000);

describe("the evidence pack, downloaded by compliance", { timeout: 60_000 }, () => {
  let entries: UnzippedEntry[];
  let disposition: string | null;
  let downloadedAt: Date;

  beforeAll(async () => {
    const before = new Date();
    ({ entries, disposition } = await download(
      `/staff/dossiers/${camille.caseId}/preuves.zip`,
      cookies.compliance,
    ));
    downloadedAt = before;
  });

  it("is a ZIP named after the case, its files in a fixed order, dated when it was made", async () => {
    expect(disposition).toBe(`attachment; filename="preuves-${camille.reference}.zip"`);
    const names = entries.map((file) => file.name);
    expect(names[0]).toBe("summary.pdf");
    expect(names.slice(-5)).toEqual([
      "events.jsonl",
      "events.jsonl.manifest.json",
      "emails.json",
      "checkpoint.json",
      "manifest.json",
    ]);
    const documentNames = names.slice(1, -5);
    expect(documentNames).toHaveLength(2);
    expect(documentNames).toContain(`documents/lettre-de-resiliation-${camille.reference}.pdf`);
    expect(
      documentNames.some((name) => /^documents\/etiquette-retour-RT-[\w-]+\.pdf$/.test(name)),
    ).toBe(true);
    // Every entry carries the time of the pack's own download event (to the second).
    const [event] = await app
      .db()
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.caseId, camille.caseId),
          eq(auditEvents.type, "evidence.downloaded"),
          eq(auditEvents.actorType, "staff"),
        ),
      );
    expect(event!.occurredAt.getTime()).toBeGreaterThanOrEqual(downloadedAt.getTime() - 1000);
    for (const file of entries) {
      expect(Math.floor(file.mtime.getTime() / 1000)).toBe(
        Math.floor(event!.occurredAt.getTime() / 1000),
      );
    }
  });

  it("lists every file in manifest.json with its SHA-256 and size, signed with the published key", async () => {
    const manifest = json<SignedManifest & Record<string, unknown>>(
      entry(entries, "manifest.json"),
    );
    expect(manifest.files.map((file) => file.path)).toEqual(
      entries.map((file) => file.name).filter((name) => name !== "manifest.json"),
    );
    for (const file of manifest.files) {
      const bytes = entry(entries, file.path);
      expect(file.sha256, file.path).toBe(sha256(bytes));
      expect(file.bytes, file.path).toBe(bytes.length);
    }
    const key = (await publishedKeys()).find((candidate) => candidate.keyId === manifest.keyId);
    expect(key).toBeDefined();
    const { signature, ...unsigned } = manifest;
    expect(verifySignature(key!.publicKeyPem, canonicalJson(unsigned), signature)).toBe(true);
    expect(
      verifySignature(key!.publicKeyPem, canonicalJson({ ...unsigned, version: 2 }), signature),
    ).toBe(false);
  });

  it("holds every document of the case, whose hashes match the database and the document.created events", async () => {
    const db = app.db();
    const rows = await db.select().from(documents).where(eq(documents.caseId, camille.caseId));
    expect(rows.map((row) => row.kind).sort()).toEqual(["return_label", "termination_letter"]);
    const manifest = json<SignedManifest>(entry(entries, "manifest.json"));
    const created = eventsOf(entry(entries, "events.jsonl")).filter(
      (event) => event.type === "document.created",
    );
    for (const row of rows) {
      const listed = manifest.documents.find((document) => document.id === row.id);
      expect(listed, row.kind).toMatchObject({ kind: row.kind, sha256: row.sha256 });
      const bytes = entry(entries, listed!.path!);
      expect(sha256(bytes)).toBe(row.sha256);
      expect(bytes.equals(row.bytes)).toBe(true);
      const event = created.find((candidate) => candidate.data.documentId === row.id);
      expect(event?.data.sha256, row.kind).toBe(row.sha256);
    }
  });

  it("carries the case's whole chain in the export format, ending with this download", async () => {
    const exported = eventsOf(entry(entries, "events.jsonl"));
    const stored = await app
      .db()
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.stream, `case:${camille.caseId}`))
      .orderBy(asc(auditEvents.seq));
    // The pack's snapshot: every event up to its own download (later reads come after it).
    const upTo = stored.slice(0, exported.length);
    expect(exported.map((event) => [event.seq, event.type, event.hash])).toEqual(
      upTo.map((event) => [event.seq, event.type, event.hash]),
    );
    expect(exported.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        "case.identified",
        "case.summary_shown",
        "case.notified",
        "document.created",
        "email.attempted",
        "survey.answered",
      ]),
    );
    const last = exported.at(-1)!;
    const compliance = await app
      .db()
      .select({ id: auditEvents.actorId })
      .from(auditEvents)
      .where(
        and(eq(auditEvents.type, "evidence.downloaded"), eq(auditEvents.caseId, camille.caseId)),
      );
    expect(last).toMatchObject({
      type: "evidence.downloaded",
      actor_type: "staff",
      actor_id: compliance[0]!.id,
      data: { reference: camille.reference },
    });
    expect(await verifyCaseChain(app.db(), camille.caseId)).toMatchObject({ ok: true });
  });

  it("lists every event and document of the case in summary.pdf, in French", () => {
    const pdf = entry(entries, "summary.pdf");
    const text = tool("pdftotext", pdf, ["-layout", "-enc", "UTF-8"]).replace(/[ \t]+/g, " ");
    const flat = tool("pdftotext", pdf, ["-enc", "UTF-8"]).replace(/\s+/g, " ");
    expect(flat).toContain(`Dossier de preuves — résiliation ${camille.reference}`);
    expect(flat).toContain("à la demande de l’équipe de");
    const exported = eventsOf(entry(entries, "events.jsonl"));
    expect(flat).toContain(`Les ${exported.length} événements de la chaîne case:${camille.caseId}`);
    for (const event of exported) {
      // One timeline row per event: its number … the start of its hash.
      expect(text, `event ${event.seq}`).toMatch(
        new RegExp(`\\n ?${event.seq} .*${event.hash.slice(0, 16)}`),
      );
    }
    for (const label of [
      "Résiliation notifiée (réception légale)",
      "Récapitulatif affiché avant la notification",
      "Document créé",
      "Envoi d’un e-mail",
      "Questionnaire de départ rempli",
      "Dossier de preuves téléchargé",
      "Lettre de résiliation",
      "Étiquette de retour",
      "Accusé de réception — Envoyé",
      "Destinataire : c•••@example.com",
      // APP_URL of the test portal.
      "publiée à cette adresse : http://localhost/.well-known/easy-exit/audit-keys.json",
      "node verify-audit-export.mjs events.jsonl --public-key audit-keys.json",
    ]) {
      expect(flat).toContain(label);
    }
    const manifest = json<SignedManifest>(entry(entries, "manifest.json"));
    for (const document of manifest.documents) expect(text).toContain(document.sha256);
    // The acknowledgment's address is masked in the summary and in emails.json.
    expect(flat).not.toContain("camille.martin@example.com");
    expect(entry(entries, "emails.json").toString("utf8")).not.toContain(
      "camille.martin@example.com",
    );
  });

  it("records the delivery of the acknowledgment in emails.json", async () => {
    const [stored] = await app
      .db()
      .select()
      .from(emailMessages)
      .where(
        and(eq(emailMessages.caseId, camille.caseId), eq(emailMessages.kind, "acknowledgment")),
      );
    const records = json<Record<string, unknown>[]>(entry(entries, "emails.json"));
    expect(records).toContainEqual(
      expect.objectContaining({
        id: stored!.id,
        kind: "acknowledgment",
        recipient: "c•••@example.com",
        status: "sent",
        smtpMessageId: stored!.smtpMessageId,
        sentAt: stored!.sentAt!.toISOString(),
      }),
    );
  });

  it("proves the case's chain head in the latest signed checkpoint: the proof recomputes its root", async () => {
    const proof = json<{
      checkpoint: { id: number; root: string; keyId: string; payload: string; signature: string };
      inclusion: { leaf: { stream: string; seq: number; hash: string }; proof: ProofStep[] };
    }>(entry(entries, "checkpoint.json"));
    const [latest] = await app
      .db()
      .select()
      .from(auditCheckpoints)
      .where(eq(auditCheckpoints.id, proof.checkpoint.id));
    expect(latest).toMatchObject({
      root: proof.checkpoint.root,
      payload: proof.checkpoint.payload,
    });
    expect(rootFromProof(proof.inclusion.leaf, proof.inclusion.proof)).toBe(proof.checkpoint.root);
    // The leaf is a real event of the chain in the pack …
    const exported = eventsOf(entry(entries, "events.jsonl"));
    const leaf = exported.find((event) => event.seq === proof.inclusion.leaf.seq);
    expect(leaf?.hash).toBe(proof.inclusion.leaf.hash);
    expect(proof.inclusion.leaf.stream).toBe(`case:${camille.caseId}`);
    // … and the root is what the operator signed, under the key it publishes.
    const key = (await publishedKeys()).find(
      (candidate) => candidate.keyId === proof.checkpoint.keyId,
    );
    expect(
      verifySignature(key!.publicKeyPem, proof.checkpoint.payload, proof.checkpoint.signature),
    ).toBe(true);
    expect(JSON.parse(proof.checkpoint.payload)).toMatchObject({ root: proof.checkpoint.root });
  });

  it("passes the standalone verifier, and fails it with one byte changed", async () => {
    const dir = mkdtempSync(path.join(workDir, "verify-"));
    writeFileSync(path.join(dir, "events.jsonl"), entry(entries, "events.jsonl"));
    writeFileSync(
      path.join(dir, "events.jsonl.manifest.json"),
      entry(entries, "events.jsonl.manifest.json"),
    );
    const keys = await getPage(app.url("/.well-known/easy-exit/audit-keys.json"));
    writeFileSync(path.join(dir, "audit-keys.json"), Buffer.from(await keys.arrayBuffer()));
    const verify = () =>
      spawnSync(
        process.execPath,
        [
          "tools/verify-audit-export.mjs",
          path.join(dir, "events.jsonl"),
          "--public-key",
          path.join(dir, "audit-keys.json"),
        ],
        { encoding: "utf8" },
      );
    const ok = verify();
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("OK:");

    const tampered = Buffer.from(entry(entries, "events.jsonl"));
    tampered[tampered.indexOf("case.notified") + 5] = "X".charCodeAt(0);
    writeFileSync(path.join(dir, "events.jsonl"), tampered);
    expect(verify().status).toBe(1);
  });
});

describe("the pack's bytes", { timeout: 60_000 }, () => {
  it("are the same for the same snapshot: files, order, dates, summary and signatures", async () => {
    const db = app.db();
    const checkpoint = await latestCheckpoint(db);
    const snapshot = await loadEvidenceSnapshot(db, {
      caseId: camille.caseId,
      checkpointId: checkpoint!.id,
    });
    const options = {
      generatedAt: new Date("2026-11-24T08:00:00.000Z"),
      requestedBy: { kind: "subscriber" } as const,
      signer: app.portal().auditSigner,
      appUrl: "http://localhost",
    };
    const archive = async () =>
      zipArchiveBytes((await buildEvidencePack(snapshot!, options)).files, options.generatedAt);
    const first = await archive();
    expect((await archive()).equals(first)).toBe(true);
  });
});

describe("who may download a pack", { timeout: 60_000 }, () => {
  it("gives operations and admin the pack, refuses agents, and sends the anonymous to sign-in", async () => {
    for (const role of ["operations", "admin"] as const) {
      const { entries } = await download(
        `/staff/dossiers/${camille.caseId}/preuves.zip`,
        cookies[role],
      );
      expect(entries[0]!.name).toBe("summary.pdf");
    }
    const agent = await getPage(
      app.url(`/staff/dossiers/${camille.caseId}/preuves.zip`),
      cookies.agent,
    );
    expect(agent.status).toBe(403);
    const anonymous = await getPage(app.url(`/staff/dossiers/${camille.caseId}/preuves.zip`));
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("location")).toContain("/staff/connexion");
    const unknown = await getPage(
      app.url("/staff/dossiers/00000000-0000-4000-8000-000000000000/preuves.zip"),
      cookies.compliance,
    );
    expect(unknown.status).toBe(404);
  });

  it("shows the button on the staff case page to those roles only, and the data export link to compliance", async () => {
    const page = async (role: keyof typeof cookies) => {
      const response = await getPage(app.url(`/staff/dossiers/${camille.caseId}`), cookies[role]);
      expect(response.status).toBe(200);
      return response.text();
    };
    const packLink = `href="/staff/dossiers/${camille.caseId}/preuves.zip"`;
    const dataLink = `href="/staff/abonnes/${camille.subscriber.id}/donnees.zip"`;
    const compliance = await page("compliance");
    expect(compliance).toContain(packLink);
    expect(compliance).toContain("Télécharger le dossier de preuves (ZIP)");
    expect(compliance).toContain(dataLink);
    const operations = await page("operations");
    expect(operations).toContain(packLink);
    expect(operations).not.toContain(dataLink);
    const agent = await page("agent");
    expect(agent).not.toContain(packLink);
    expect(agent).not.toContain(dataLink);
  });

  it("gives the subscriber their own pack from the case link, and another token nothing", async () => {
    const casePage = await getPage(app.url(`/dossier/${camille.token}`));
    const html = await casePage.text();
    expect(html).toContain(`href="/dossier/${camille.token}/preuves.zip"`);
    expect(html).toContain("Votre dossier de preuves");

    const { disposition, entries } = await download(`/dossier/${camille.token}/preuves.zip`);
    expect(disposition).toBe(`attachment; filename="preuves-${camille.reference}.zip"`);
    const last = eventsOf(entry(entries, "events.jsonl")).at(-1)!;
    expect(last).toMatchObject({
      type: "evidence.downloaded",
      actor_type: "subscriber",
      actor_id: camille.subscriber.id,
    });
    const flat = tool("pdftotext", entry(entries, "summary.pdf"), ["-enc", "UTF-8"]).replace(
      /\s+/g,
      " ",
    );
    expect(flat).toContain("à la demande de l’abonné, depuis son lien de suivi personnel");

    expect((await getPage(app.url(`/dossier/${newToken()}/preuves.zip`))).status).toBe(404);
    expect((await getPage(app.url("/dossier/not-a-token/preuves.zip"))).status).toBe(404);
    // Lucas's link gives Lucas's pack: nothing of Camille's case is in it.
    const other = await download(`/dossier/${lucas.token}/preuves.zip`);
    expect(other.disposition).toBe(`attachment; filename="preuves-${lucas.reference}.zip"`);
    for (const file of other.entries) {
      expect(file.bytes.includes(camille.caseId), file.name).toBe(false);
      expect(file.bytes.includes(camille.reference), file.name).toBe(false);
    }
    // The subscriber's own timeline does not list downloads (reads are not steps of the case).
    expect(html).not.toContain("Dossier de preuves téléchargé");
    expect(await verifyCaseChain(app.db(), camille.caseId)).toMatchObject({ ok: true });
  });
});

describe("downloads from a case link", { timeout: 60_000 }, () => {
  it("are limited to 20 an hour per case, then lead back to the case page, which says when to try again", async () => {
    const url = app.url(`/dossier/${lucas.token}/preuves.zip`);
    const pack = `case:${lucas.caseId}`;
    const downloads = async () =>
      (
        await app
          .db()
          .select({ seq: auditEvents.seq })
          .from(auditEvents)
          .where(and(eq(auditEvents.stream, pack), eq(auditEvents.type, "evidence.downloaded")))
      ).length;
    // Lucas downloaded his pack once above: 19 more are served …
    expect(await downloads()).toBe(1);
    for (let n = 2; n <= 20; n += 1) {
      const response = await getPage(url);
      expect(response.status, `download ${n}`).toBe(200);
      await response.arrayBuffer();
    }
    // … the 21st is not made (nothing recorded) and goes back to the page.
    const refused = await getPage(url);
    expect(refused.status).toBe(303);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const location = new URL(refused.headers.get("location")!, url);
    expect(location.pathname).toBe(`/dossier/${lucas.token}`);
    expect(await downloads()).toBe(20);
    const page = await getPage(location.toString());
    expect(page.status).toBe(200);
    expect((await page.text()).replace(/[\u00a0\u202f]/g, " ")).toMatch(
      /Vous avez téléchargé ce dossier de preuves de nombreuses fois en une heure\. Réessayez dans \d+ min\./,
    );
    // Camille's link is not affected by Lucas's downloads.
    const camillePack = await getPage(app.url(`/dossier/${camille.token}/preuves.zip`));
    expect(camillePack.status).toBe(200);
    await camillePack.arrayBuffer();
  });
});

describe("the subject-access export", { timeout: 60_000 }, () => {
  let entries: UnzippedEntry[];
  let disposition: string | null;

  beforeAll(async () => {
    ({ entries, disposition } = await download(
      `/staff/abonnes/${camille.subscriber.id}/donnees.zip`,
      cookies.compliance,
    ));
  });

  it("is a ZIP of every kind of data held, with a README in French and English", () => {
    expect(disposition).toMatch(/^attachment; filename="donnees-C-100001-\d{4}-\d{2}-\d{2}\.zip"$/);
    const names = entries.map((file) => file.name);
    expect(names.slice(0, 9)).toEqual([
      "README.txt",
      "subscriber.json",
      "contracts.json",
      "cases.json",
      "survey-answers.json",
      "winback.json",
      "emails.json",
      "consents.json",
      "events.jsonl",
    ]);
    expect(names.at(-1)).toBe("manifest.json");
    const readme = entry(entries, "README.txt").toString("utf8");
    expect(readme).toContain("VOS DONNÉES PERSONNELLES");
    expect(readme).toContain("YOUR PERSONAL DATA");
    for (const name of names.filter((file) => !file.startsWith("documents/"))) {
      if (name !== "README.txt") expect(readme, name).toContain(name);
    }
  });

  it("holds her personal data, case, survey answer, consents, emails and documents", async () => {
    const subscriber = json<Record<string, unknown>>(entry(entries, "subscriber.json"));
    expect(subscriber).toMatchObject({
      id: camille.subscriber.id,
      customerNumber: "C-100001",
      firstName: "Camille",
      lastName: "Martin",
      email: "camille.martin@example.com",
      phone: "+33123456789",
      addressLine1: "8 rue de la Roquette",
      postalCode: "75011",
      city: "Paris",
    });
    expect(subscriber).not.toHaveProperty("stopContactTokenHash");
    expect(entry(entries, "contracts.json").toString("utf8")).toContain("CT-2026-000101");
    const { cases } = json<{ cases: Record<string, unknown>[] }>(entry(entries, "cases.json"));
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ id: camille.caseId, reference: camille.reference });
    expect(cases[0]).not.toHaveProperty("accessTokenHash");
    expect(json<unknown[]>(entry(entries, "survey-answers.json"))).toEqual([
      expect.objectContaining({
        caseReference: camille.reference,
        reason: "price",
        details: "Trop cher depuis la hausse de mars",
        contactConsent: true,
      }),
    ]);
    const consents = json<{ surveyConsents: unknown[] }>(entry(entries, "consents.json"));
    expect(consents.surveyConsents).toEqual([
      expect.objectContaining({ contactConsent: true, channel: "phone", window: "evening" }),
    ]);
    expect(json<unknown[]>(entry(entries, "winback.json"))).toHaveLength(1);
    expect(json<unknown[]>(entry(entries, "emails.json"))).toContainEqual(
      expect.objectContaining({ kind: "acknowledgment", toAddress: "camille.martin@example.com" }),
    );
    // Her documents, byte for byte, under her case's reference.
    const rows = await app
      .db()
      .select()
      .from(documents)
      .where(eq(documents.caseId, camille.caseId));
    const manifest = json<SignedManifest>(entry(entries, "manifest.json"));
    for (const row of rows) {
      const listed = manifest.documents.find((document) => document.id === row.id)!;
      expect(listed.path).toBe(`documents/${camille.reference}/${row.fileName}`);
      expect(sha256(entry(entries, listed.path!))).toBe(row.sha256);
    }
    for (const file of manifest.files) expect(sha256(entry(entries, file.path))).toBe(file.sha256);
    // Her chains, ending with this export in her own stream.
    const events = eventsOf(entry(entries, "events.jsonl"));
    expect(events.some((event) => event.stream === `case:${camille.caseId}`)).toBe(true);
    expect(
      events.filter((event) => event.stream === `subscriber:${camille.subscriber.id}`).at(-1),
    ).toMatchObject({ type: "subject_access.exported", actor_type: "staff" });
    expect(await verifyStream(app.db(), `subscriber:${camille.subscriber.id}`)).toMatchObject({
      ok: true,
    });
  });

  it("holds nothing of another subscriber", () => {
    for (const file of entries) {
      for (const other of [
        "Lucas",
        "Bernard",
        "lucas.bernard@example.com",
        "C-100002",
        lucas.reference,
        lucas.caseId,
        lucas.subscriber.id,
      ]) {
        expect(file.bytes.includes(other), `${file.name} holds ${other}`).toBe(false);
      }
    }
  });

  it("is for compliance and admin only", async () => {
    const url = `/staff/abonnes/${camille.subscriber.id}/donnees.zip`;
    await download(url, cookies.admin);
    for (const role of ["operations", "agent"] as const) {
      expect((await getPage(app.url(url), cookies[role])).status, role).toBe(403);
    }
    const unknown = await getPage(
      app.url("/staff/abonnes/00000000-0000-4000-8000-000000000000/donnees.zip"),
      cookies.compliance,
    );
    expect(unknown.status).toBe(404);
  });
});
