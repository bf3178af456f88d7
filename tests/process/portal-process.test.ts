import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";

// The portal as a newcomer runs it: a real process on the embedded database, killed and restarted.

const dataDir = mkdtempSync(path.join(tmpdir(), "easyexit-portal-"));
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startPortal(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
    env: {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "production",
      REMIX_BUILD_DIR: inject("buildDir"),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let output = "";
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code, signal) => {
      running.delete(child);
      output += `\n[exit code ${code} signal ${signal}]`;
      resolve(code);
    }),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve({ child, url: match[1]!, output: () => output, exited });
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`portal exited with ${code}:\n${output}`)));
  });
}

describe("the portal process", { timeout: 120_000 }, () => {
  it("refuses a bad environment with one line naming the variable", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], {
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", PORT: "not-a-port" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      'Invalid environment variable PORT: must be a port number (0 to 65535) (got "not-a-port")',
    );
  });

  it("starts on the embedded database, survives kill -9, reuses its data, and stops cleanly", async () => {
    const env = { DATA_DIR: dataDir, PORT: "0", EMBEDDED_PG_PORT: String(await freePort()) };
    const first = await startPortal(env);
    expect(first.output()).toContain("demo data created");
    const home = await fetch(first.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Résilier votre contrat");

    first.child.kill("SIGKILL"); // the embedded Postgres is left running, as after a crash
    await first.exited;

    const second = await startPortal(env);
    expect(second.output()).not.toContain("demo data created");
    expect(second.output()).toContain(
      "stopping the embedded Postgres left running by an earlier run",
    );
    const ready = await fetch(`${second.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);

    second.child.kill("SIGTERM");
    expect(await second.exited, second.output()).toBe(0);
    expect(second.output()).toContain('"msg":"stopped"');

    // A clean stop leaves nothing running: a third start needs no orphan handling.
    const third = await startPortal(env);
    expect(third.output()).not.toContain("left running");
    third.child.kill("SIGINT");
    expect(await third.exited, third.output()).toBe(0);
  });
});
