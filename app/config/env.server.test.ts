import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

describe("environment", () => {
  it("has safe development defaults and uses the embedded database without DATABASE_URL", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      NODE_ENV: "development",
      usesEmbeddedDatabase: true,
      SEED_ON_START: true,
      LOG_LEVEL: "info",
    });
    expect(env.APP_URL).toBe("http://localhost:3000");
  });

  it("uses DATABASE_URL when given, and then seeds nothing unless asked", () => {
    const env = parseEnv({ DATABASE_URL: "postgres://u@db.example:5432/x" });
    expect(env).toMatchObject({ usesEmbeddedDatabase: false, SEED_ON_START: false });
    expect(
      parseEnv({ DATABASE_URL: "postgres://u@h/x", SEED_ON_START: "true" }).SEED_ON_START,
    ).toBe(true);
  });

  it("names the bad variable in one readable line", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "abc" })).toThrow(
      /^Invalid environment variable PORT: .*\(got "abc"\)$/,
    );
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(
      /DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    expect(() => parseEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
    expect(() => parseEnv({ SMTP_URL: "http://mail" })).toThrow(/SMTP_URL/);
  });

  it("requires real secrets for a production deployment on its own database", () => {
    expect(() => parseEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@h/x" })).toThrow(
      /APP_URL: is required in production/,
    );
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        DATABASE_URL: "postgres://u@h/x",
        APP_URL: "https://exit.example",
      }),
    ).toThrow(/SESSION_SECRET/);
    expect(() => parseEnv({ SESSION_SECRET: "short" })).toThrow(
      /SESSION_SECRET: must be at least 32 characters/,
    );
  });

  it("treats empty values as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", PORT: "" })).toMatchObject({
      usesEmbeddedDatabase: true,
      PORT: 3000,
    });
  });
});
