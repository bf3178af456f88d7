// npm run db:seed — empties the application tables and creates the demo data again.
// Refuses a production database unless --force is given.
import { createDatabaseClient } from "../client";
import { runMigrations } from "../migrate";
import { seedDemoData, truncateAppTables } from "../seed";
import { runCli } from "./run";

await runCli(async ({ env, url, auditSigner }) => {
  if (
    env.NODE_ENV === "production" &&
    !env.usesEmbeddedDatabase &&
    !process.argv.includes("--force")
  ) {
    throw new Error(
      "Refusing to replace the data of a production database with demo data (add --force if you really mean it).",
    );
  }
  await runMigrations(url);
  const client = createDatabaseClient(url, { max: 4 });
  try {
    await truncateAppTables(client.db);
    const result = await seedDemoData(client.db, {
      linkSecret: env.SESSION_SECRET,
      signer: auditSigner,
    });
    console.log(`Demo data created: ${result.subscribers} subscribers, ${result.cases} cases.`);
  } finally {
    await client.close();
  }
});
