// Test database naming, shared by the global setup and the per-file setup.
export const WORKER_COUNT = 2;

export function templateName(runId: string): string {
  return `easyexit_test_${runId}_tpl`;
}

/** The migrated template with the demo data in it, seeded once per run for the portal tests. */
export function seededTemplateName(runId: string): string {
  return `easyexit_test_${runId}_seeded`;
}

/** The session secret of portal tests: the seed derives the demo cases' private links from it. */
export const PORTAL_TEST_SECRET = "test-secret-test-secret-test-secret!";

/**
 * The AUDIT_SIGNING_KEY of portal tests (a production portal on its own database must have
 * one): the seeded template's first checkpoint is signed with it too. A test key, public here.
 */
export const PORTAL_TEST_AUDIT_KEY =
  "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDwwsqIPez166vn+rogZxRBpBsJ0AJosAxlJ5Hq7nXK3\n-----END PRIVATE KEY-----\n";

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
