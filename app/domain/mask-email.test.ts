import { describe, expect, it } from "vitest";
import { maskEmail } from "./mask-email";

describe("maskEmail", () => {
  it("keeps the first character and the domain", () => {
    expect(maskEmail("camille.martin@example.com")).toBe("c•••@example.com");
    expect(maskEmail("x@example.org")).toBe("x•••@example.org");
  });

  it("keeps a whole first character outside the BMP and the last @'s domain", () => {
    expect(maskEmail("😀team@example.com")).toBe("😀•••@example.com");
    expect(maskEmail('"a@b"@example.com')).toBe('"•••@example.com');
  });

  it("hides a value that is not an address", () => {
    expect(maskEmail("")).toBe("•••");
    expect(maskEmail("@example.com")).toBe("•••");
    expect(maskEmail("no-at-sign")).toBe("•••");
  });
});
