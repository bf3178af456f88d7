// npm run db:migrate — applies the committed migrations (the portal also does it at start).
import { runMigrations, shippedMigrationCount } from "../migrate";
import { runCli } from "./run";

await runCli(async ({ url }) => {
  await runMigrations(url);
  console.log(`Database up to date (${await shippedMigrationCount()} migrations).`);
});
