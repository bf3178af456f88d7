// npm run emails:failed — the emails that could not be delivered (permanent SMTP refusal, or
// every retry used), for operations to correct the address or contact the subscriber.
import { desc, eq } from "drizzle-orm";
import { createDatabaseClient } from "../client";
import { cancellationCases, emailMessages, unmatchedNotices } from "../schema";
import { runCli } from "./run";

await runCli(async ({ url }) => {
  const client = createDatabaseClient(url, { max: 2 });
  try {
    const rows = await client.db
      .select({
        createdAt: emailMessages.createdAt,
        kind: emailMessages.kind,
        to: emailMessages.toAddress,
        attempts: emailMessages.attempts,
        lastError: emailMessages.lastError,
        caseReference: cancellationCases.reference,
        noticeReference: unmatchedNotices.reference,
      })
      .from(emailMessages)
      .leftJoin(cancellationCases, eq(cancellationCases.id, emailMessages.caseId))
      .leftJoin(unmatchedNotices, eq(unmatchedNotices.id, emailMessages.noticeId))
      .where(eq(emailMessages.status, "failed"))
      .orderBy(desc(emailMessages.createdAt));
    if (rows.length === 0) {
      console.log("No failed email.");
      return;
    }
    console.log(`${rows.length} failed email(s):`);
    for (const row of rows) {
      console.log(
        [
          row.createdAt.toISOString(),
          row.caseReference ?? row.noticeReference ?? "-",
          row.kind,
          row.to,
          `${row.attempts} attempt(s)`,
          row.lastError ?? "",
        ].join("  "),
      );
    }
  } finally {
    await client.close();
  }
});
