import { describe, expect, it } from "vitest";
import { de } from "./de";
import { en } from "./en";
import { fr } from "./fr";
import { pt } from "./pt";

// The type system already demands every key; these checks catch what it cannot: a placeholder
// lost or renamed in translation (the text would show "{date}" or drop the value) and a value
// left in English by copy-paste.

const TRANSLATIONS = { de, pt } as const;

/**
 * Values that are legitimately the same as in English, each for a stated reason. Anything else
 * identical to the English text is an untranslated string.
 */
const SAME_AS_ENGLISH = new Set<string>([
  // Each language is named in its own language, whatever the interface language.
  "language.fr",
  "language.en",
  "language.pt",
  "language.de",
  // A colon followed by a space is the typography of English, German and Portuguese alike.
  "punctuation.colon",
]);

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? ""))].sort();
}

describe.each(Object.entries(TRANSLATIONS))("public messages in %s", (_lang, messages) => {
  const entries = Object.entries(messages);
  const english = new Map<string, string>(Object.entries(en));

  it("has exactly the keys of the French source, in the order of the English file", () => {
    expect(Object.keys(messages).sort()).toEqual(Object.keys(fr).sort());
    expect(Object.keys(messages)).toEqual(Object.keys(en));
  });

  it("keeps exactly the placeholders of the English text", () => {
    const mismatches = entries
      .filter(
        ([key, value]) =>
          placeholders(value).join() !== placeholders(english.get(key) ?? "").join(),
      )
      .map(([key, value]) => ({ key, value, expected: placeholders(english.get(key) ?? "") }));
    expect(mismatches).toEqual([]);
  });

  it("translates every value except the named exceptions", () => {
    const untranslated = entries
      .filter(([key, value]) => value === english.get(key) && !SAME_AS_ENGLISH.has(key))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it("uses typographic quotes and apostrophes, not straight ones", () => {
    const straight = entries.filter(([, value]) => /["']/.test(value)).map(([key]) => key);
    expect(straight).toEqual([]);
  });

  it("has no empty value", () => {
    expect(entries.filter(([, value]) => value.trim() === "").map(([key]) => key)).toEqual([]);
  });
});

describe("German legal button wordings (§ 312k BGB)", () => {
  it("labels the entry and the final button with the statutory words", () => {
    expect(de["site.cancelCta"]).toBe("Verträge hier kündigen");
    expect(de["summary.notify"]).toBe("jetzt kündigen");
  });
});
