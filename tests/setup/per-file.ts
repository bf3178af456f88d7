import { format } from "node:util";
import { afterEach, beforeEach, expect, vi } from "vitest";

// console.error fails a test: an error logged and ignored is a bug nobody will read.
let errors: string[] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(format(...args));
  });
});
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  expect(errors, "console.error was called").toEqual([]);
});
