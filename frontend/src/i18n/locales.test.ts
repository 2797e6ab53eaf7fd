import { describe, expect, it } from "vitest";

import { resources } from ".";

function keys(tree: unknown, prefix = ""): string[] {
  if (tree === null || typeof tree !== "object") return [prefix];
  return Object.entries(tree as Record<string, unknown>).flatMap(([key, value]) =>
    keys(value, prefix ? `${prefix}.${key}` : key),
  );
}

describe("translations", () => {
  const namespaces = Object.keys(resources.en ?? {});

  it("has namespaces", () => {
    expect(namespaces).toContain("common");
  });

  it.each(namespaces)("%s: Chinese has every English string and no other", (namespace) => {
    const english = keys(resources.en?.[namespace]).sort();
    const chinese = keys(resources.zh?.[namespace]).sort();
    expect(chinese).toEqual(english);
  });

  it.each(namespaces)("%s: no string is empty", (namespace) => {
    for (const language of ["en", "zh"]) {
      const flat = JSON.stringify(resources[language]?.[namespace]);
      expect(flat).not.toMatch(/:""/);
    }
  });
});
