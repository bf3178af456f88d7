// npm run bench — prints the figures recorded in BENCHMARKS.md (targets: SPEC.md).
// `npm run bench -- letter`, `-- analytics`, `-- audit` or `-- import` runs one of them; no name runs all.
import { cpus, totalmem } from "node:os";
import { benchAnalytics, describeAnalyticsBench } from "./analytics";
import { benchAudit, describeAuditBench } from "./audit";
import { benchImport, describeImportBench } from "./import";
import { benchLetter } from "./letter";

const BENCHES = {
  letter: async () => {
    const letter = await benchLetter();
    console.log(
      `letter render: median ${letter.medianMs.toFixed(2)} ms, p95 ${letter.p95Ms.toFixed(2)} ms (target: median ≤ 10 ms)`,
    );
  },
  // Several minutes: generates 1 million survey answers in a fresh database first.
  analytics: async () => {
    const result = await benchAnalytics({ log: (line) => console.log(line) });
    for (const line of describeAnalyticsBench(result)) console.log(line);
  },
  // A few minutes: generates 1 million audit events with their hash chains in a fresh database.
  audit: async () => {
    const result = await benchAudit({ log: (line) => console.log(line) });
    for (const line of describeAuditBench(result)) console.log(line);
  },
  // About a minute: imports 100,000 contracts from a CSV into a fresh database, then again.
  import: async () => {
    const result = await benchImport({ log: (line) => console.log(line) });
    for (const line of describeImportBench(result)) console.log(line);
  },
} as const;
type BenchName = keyof typeof BENCHES;

const isBench = (name: string): name is BenchName => Object.hasOwn(BENCHES, name);
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !isBench(name));
if (unknown.length > 0) {
  console.error(
    `Unknown benchmark: ${unknown.join(", ")}. Choose among: ${Object.keys(BENCHES).join(", ")}.`,
  );
  process.exit(1);
}

console.log(
  `Easy Exit benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
for (const name of asked.length > 0 ? asked.filter(isBench) : (Object.keys(BENCHES) as BenchName[]))
  await BENCHES[name]();
