import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";

// The production build the browser tests drive. It is made once per content of its inputs and
// kept in .cache/test-build/<hash>: a second `npm test` on unchanged sources (CI runs the suite
// twice) reuses it instead of spending a minute building the same files again. A build is
// written to a private folder and renamed into place when complete, so two runs at once never
// serve each other's half-built files.

/** Everything the client and server bundles are built from (the tests themselves are not). */
const INPUT_DIRS = ["app", "db", "public", "server"];
const INPUT_FILES = [
  "package-lock.json",
  "vite.config.ts",
  "remix.config.js",
  "tsconfig.json",
  "package.json",
];

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return entry.isFile() ? [full] : [];
    });
}

/** SHA-256 over the inputs' paths and contents. */
export function buildInputsHash(root = process.cwd()): string {
  const digest = createHash("sha256");
  const files = [
    ...INPUT_DIRS.flatMap((dir) => listFiles(path.join(root, dir))),
    ...INPUT_FILES.map((file) => path.join(root, file)).filter((file) => existsSync(file)),
  ];
  for (const file of files) {
    digest.update(path.relative(root, file));
    digest.update("\0");
    digest.update(readFileSync(file));
    digest.update("\0");
  }
  return digest.digest("hex").slice(0, 24);
}

function viteBuild(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["node_modules/@remix-run/dev/dist/cli.js", "vite:build", "--logLevel", "error"],
      {
        env: { ...process.env, REMIX_BUILD_DIR: outDir, NODE_ENV: "production" },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`)),
    );
  });
}

/** Keeps the few most recent builds (a developer switching branches reuses them too). */
function pruneOldBuilds(cacheDir: string, keep: number): void {
  const builds = readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith("tmp-"))
    .map((entry) => path.join(cacheDir, entry.name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const old of builds.slice(keep)) rmSync(old, { recursive: true, force: true });
}

/** The folder of a complete build of the current sources, building it if needed. */
export async function ensureTestBuild(runId: string, root = process.cwd()): Promise<string> {
  const cacheDir = path.join(root, ".cache/test-build");
  const buildDir = path.join(cacheDir, buildInputsHash(root));
  if (existsSync(path.join(buildDir, "server/index.js"))) return buildDir;
  const tmpDir = path.join(cacheDir, `tmp-${runId}`);
  rmSync(tmpDir, { recursive: true, force: true });
  await viteBuild(tmpDir);
  try {
    renameSync(tmpDir, buildDir);
  } catch (error) {
    // Another run finished the same build first: use theirs.
    rmSync(tmpDir, { recursive: true, force: true });
    if (!existsSync(path.join(buildDir, "server/index.js"))) throw error;
  }
  pruneOldBuilds(cacheDir, 3);
  return buildDir;
}
