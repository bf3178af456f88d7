// npm run staff:create -- --email ada@operator.example --role admin [--name "Ada Lovelace"]
// Creates a staff account (the first admin of a production install) and prints a one-time link,
// valid 72 hours, where the person chooses their password. Run again to get a fresh link.
import { parseArgs } from "node:util";
import { z } from "zod";
import { STAFF_ROLES } from "../../app/domain/enums";
import {
  createOrResetFromCli,
  resetUrl,
  WELCOME_HOURS,
} from "../../app/services/staff/staff-accounts.server";
import { createDatabaseClient } from "../client";
import { runMigrations } from "../migrate";
import { runCli } from "./run";

const Args = z.object({
  email: z.email("--email must be an email address"),
  role: z.enum(STAFF_ROLES, { error: `--role must be one of: ${STAFF_ROLES.join(", ")}` }),
  name: z.string().trim().min(1).max(120).optional(),
});

const { values } = parseArgs({
  options: { email: { type: "string" }, role: { type: "string" }, name: { type: "string" } },
  strict: true,
});
const parsed = Args.safeParse(values);
if (!parsed.success) {
  console.error(
    `${parsed.error.issues.map((issue) => issue.message).join("\n")}\n` +
      'Usage: npm run staff:create -- --email ada@operator.example --role admin [--name "Ada Lovelace"]',
  );
  process.exit(1);
}

await runCli(async ({ env, url }) => {
  const client = createDatabaseClient(url, { max: 2 });
  try {
    await runMigrations(url);
    const { email, role } = parsed.data;
    const result = await createOrResetFromCli(
      { db: client.db, jobs: null, secret: env.SESSION_SECRET },
      { email, role, displayName: parsed.data.name ?? email.split("@")[0]! },
    );
    console.log(
      result.created
        ? `Created ${result.user.email} (${result.user.role}).`
        : `${result.user.email} already exists (${result.user.role}): here is a new link.`,
    );
    console.log(`Choose the password here (valid ${WELCOME_HOURS} hours, works once):`);
    console.log(resetUrl(env.APP_URL, result.token));
  } finally {
    await client.close();
  }
});
