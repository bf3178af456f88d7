// npm run api-key:create -- --name "Carrier Colissimo" --scope returns:write [--scope cases:read]
// Creates an API key for an integration (a carrier, the operator's BSS) and prints it once: only
// its SHA-256 is stored, so a lost key is revoked and replaced, never shown again.
import { parseArgs } from "node:util";
import { z } from "zod";
import { createApiKey } from "../../app/auth/api-keys.server";
import { API_SCOPES } from "../../app/domain/enums";
import { createDatabaseClient } from "../client";
import { runMigrations } from "../migrate";
import { runCli } from "./run";

const USAGE =
  'Usage: npm run api-key:create -- --name "Carrier Colissimo" --scope returns:write [--scope cases:read]';

const Args = z.object({
  name: z
    .string({ error: "--name is required" })
    .trim()
    .min(1, "--name is required")
    .max(120, "--name must be at most 120 characters"),
  scope: z
    .array(z.enum(API_SCOPES, { error: `--scope must be one of: ${API_SCOPES.join(", ")}` }), {
      error: "--scope is required (at least one)",
    })
    .min(1, "--scope is required (at least one)"),
});

let values: unknown;
try {
  values = parseArgs({
    options: { name: { type: "string" }, scope: { type: "string", multiple: true } },
    strict: true,
  }).values;
} catch (error) {
  console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
}
const parsed = Args.safeParse(values);
if (!parsed.success) {
  const messages = [...new Set(parsed.error.issues.map((issue) => issue.message))];
  console.error(`${messages.join("\n")}\n${USAGE}`);
  process.exit(1);
}

await runCli(async ({ url }) => {
  const client = createDatabaseClient(url, { max: 2 });
  try {
    await runMigrations(url);
    const { name, scope } = parsed.data;
    const created = await createApiKey(client.db, { name, scopes: scope, createdBy: null });
    console.log(`Created API key "${name}" (prefix ${created.prefix}, id ${created.id}).`);
    console.log(`Scopes: ${[...new Set(scope)].join(", ")}`);
    console.log("Copy the key now: it will not be shown again (only its hash is stored).");
    console.log(created.key);
  } finally {
    await client.close();
  }
});
