import { describe, expect, it } from "vitest";
import { makeReference, normaliseReference, REFERENCE_ALPHABET } from "./reference";
import { nameKey } from "./names";

describe("references", () => {
  it("uses only unambiguous characters in a readable shape", () => {
    for (let i = 0; i < 500; i += 1) {
      const reference = makeReference("RX");
      expect(reference).toMatch(
        /^RX-[23456789BCDFGHJKMNPQRSTVWXYZ]{4}-[23456789BCDFGHJKMNPQRSTVWXYZ]{4}$/,
      );
    }
    expect(REFERENCE_ALPHABET).not.toMatch(/[01OILAEU]/);
  });

  it("accepts what a person types", () => {
    expect(normaliseReference(" rx 7k3m 9qpd ")).toBe("RX-7K3M-9QPD");
    expect(normaliseReference("rx-7k3m-9qpd")).toBe("RX-7K3M-9QPD");
  });
});

describe("name matching key", () => {
  it("ignores accents, case, hyphens and spacing", () => {
    expect(nameKey("Inès", "Petit")).toBe("ines petit");
    expect(nameKey("  INES ", "petit")).toBe("ines petit");
    expect(nameKey("Jean-François", "Lefèvre")).toBe(nameKey("jean francois", "LEFEVRE"));
    expect(nameKey("Zoë", "Ødegård")).toBe("zoe ødegard");
  });
});
