// npm run audit:checkpoint — signs a checkpoint over every audit chain's head now (what the
// hourly `audit.checkpoint` job does; docs/decisions/009). Refused, with exit code 1, when events
// covered by the latest checkpoint were deleted or changed: npm run audit:verify names them.
import { takeCheckpoint } from "../../app/audit/checkpoints.server";
import { createDatabaseClient } from "../client";
import { runMigrations } from "../migrate";
import { runCli } from "./run";

const number = new Intl.NumberFormat("en-GB");

await runCli(async ({ url, auditSigner }) => {
  await runMigrations(url);
  const client = createDatabaseClient(url, { max: 2 });
  try {
    const { checkpoint, changedStreams } = await takeCheckpoint(client.db, auditSigner);
    console.log(
      `Checkpoint #${checkpoint.id} signed at ${checkpoint.takenAt.toISOString()}: ` +
        `${number.format(checkpoint.streams)} chains (${number.format(changedStreams)} new or grown since the previous checkpoint), ` +
        `${number.format(checkpoint.events)} events.`,
    );
    console.log(`Root ${checkpoint.root}, key ${checkpoint.keyId}.`);
  } finally {
    await client.close();
  }
});
