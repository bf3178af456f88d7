// npm run bench — prints the figures recorded in BENCHMARKS.md (targets: SPEC.md).
import { cpus, totalmem } from "node:os";
import { benchLetter } from "./letter";

console.log(
  `Easy Exit benchmarks — ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${Math.round(totalmem() / 2 ** 30)} GiB`,
);
const letter = await benchLetter();
console.log(
  `letter render: median ${letter.medianMs.toFixed(2)} ms, p95 ${letter.p95Ms.toFixed(2)} ms (target: median ≤ 10 ms)`,
);
