import { asc, eq } from "drizzle-orm";
import type { Db, Queryable } from "../../../db/client";
import {
  auditCheckpoints,
  auditEvents,
  cancellationCases,
  caseContracts,
  contracts,
  documents,
  emailMessages,
  operators,
  type AuditCheckpoint,
  type AuditEventRow,
  type CancellationCase,
  type DocumentRow,
  type EmailMessage,
} from "../../../db/schema";
import { loadHeadSet } from "../../audit/checkpoints.server";
import type { ChainHead } from "../../audit/merkle";
import { streamForCase } from "../../audit/record-event.server";
import { anchorsFor, type ManifestAnchor } from "../audit-export/manifest.server";

// Everything an evidence pack holds about one case, read in one REPEATABLE READ transaction: the
// events, documents and emails are those of a single moment, whatever is written meanwhile (the
// timeline, the document list and the proof never disagree).

export interface EvidenceSnapshot {
  case: CancellationCase;
  operator: { legalName: string; timeZone: string };
  contracts: { contractNumber: string; offerName: string }[];
  /** Every event of the case's chain (`case:<id>`), in sequence order. */
  events: AuditEventRow[];
  /** Every document of the case, bytes included (empty when purged), oldest first. */
  documents: DocumentRow[];
  /** Every email of the case, oldest first. */
  emails: EmailMessage[];
  /** The checkpoint the pack proves against (null: none signed yet) … */
  checkpoint: AuditCheckpoint | null;
  /** … and the case chain's head in it with its inclusion proof (null: not covered yet). */
  anchor: ManifestAnchor | null;
}

async function loadCheckpoint(
  tx: Queryable,
  caseStream: string,
  checkpointId: number | null,
): Promise<Pick<EvidenceSnapshot, "checkpoint" | "anchor">> {
  if (checkpointId === null) return { checkpoint: null, anchor: null };
  const [checkpoint] = await tx
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.id, checkpointId));
  if (!checkpoint) throw new Error(`checkpoint ${checkpointId} not found`);
  const headSet: ChainHead[] = await loadHeadSet(tx, checkpointId);
  const head = headSet.find((candidate) => candidate.stream === caseStream);
  const [anchor] = head ? anchorsFor(headSet, [head]) : [];
  return { checkpoint, anchor: anchor ?? null };
}

/**
 * The snapshot of a case for its evidence pack, proved against checkpoint `checkpointId` (the
 * latest when the pack was asked for), or null when the case does not exist.
 */
export async function loadEvidenceSnapshot(
  db: Db,
  input: { caseId: string; checkpointId: number | null },
): Promise<EvidenceSnapshot | null> {
  return db.transaction(
    async (tx) => {
      const [row] = await tx
        .select()
        .from(cancellationCases)
        .where(eq(cancellationCases.id, input.caseId));
      if (!row) return null;
      const stream = streamForCase(row.id);
      const [[operator], contractRows, events, documentRows, emails, proof] = await Promise.all([
        tx
          .select({ legalName: operators.legalName, timeZone: operators.timeZone })
          .from(operators)
          .where(eq(operators.id, row.operatorId)),
        tx
          .select({ contractNumber: contracts.contractNumber, offerName: contracts.offerName })
          .from(caseContracts)
          .innerJoin(contracts, eq(contracts.id, caseContracts.contractId))
          .where(eq(caseContracts.caseId, row.id))
          .orderBy(asc(contracts.contractNumber)),
        tx
          .select()
          .from(auditEvents)
          .where(eq(auditEvents.stream, stream))
          .orderBy(asc(auditEvents.seq)),
        tx
          .select()
          .from(documents)
          .where(eq(documents.caseId, row.id))
          .orderBy(asc(documents.createdAt), asc(documents.id)),
        tx
          .select()
          .from(emailMessages)
          .where(eq(emailMessages.caseId, row.id))
          .orderBy(asc(emailMessages.createdAt), asc(emailMessages.id)),
        loadCheckpoint(tx, stream, input.checkpointId),
      ]);
      if (!operator) throw new Error(`case ${row.id} has no operator`);
      return {
        case: row,
        operator,
        contracts: contractRows,
        events,
        documents: documentRows,
        emails,
        ...proof,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}
