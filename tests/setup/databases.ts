// Test database naming, shared by the global setup and the per-file setup.
export const WORKER_COUNT = 2;

export function templateName(runId: string): string {
  return `easyexit_test_${runId}_tpl`;
}

export function workerDatabaseName(runId: string, workerId: number): string {
  return `easyexit_test_${runId}_w${workerId}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the maintenance database of the test server (to create/drop databases). */
    adminUrl: string;
    runId: string;
    /** Folder of the Remix build made for browser tests. */
    buildDir: string;
  }
}
