import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// The Remix Vite plugin stays out of tests (TOOLCHAIN.md); browser tests use a real build
// made once by the global setup.
export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.ts", "tests/**/*.test.ts", "db/**/*.test.ts", "server/**/*.test.ts"],
    globalSetup: ["tests/setup/global-setup.ts"],
    setupFiles: ["tests/setup/per-file.ts"],
    pool: "forks",
    maxWorkers: 2,
    // Browser journeys on a 2-CPU CI machine running two test files at once take up to ~30 s.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Honest tests: no retries, no focus.
    retry: 0,
    allowOnly: false,
  },
});
