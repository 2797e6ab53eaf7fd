import { describe, expect, it } from "vitest";

import { normalizeSlugInput, slugProblem, suggestSlug } from "./slug";

describe("suggestSlug", () => {
  it("makes a slug of the company name's words", () => {
    expect(suggestSlug("Acme Widgets Ltd.")).toBe("acme-widgets-ltd");
    expect(suggestSlug("  Globex -- Corporation  ")).toBe("globex-corporation");
  });

  it("drops accents and what has no Latin form", () => {
    expect(suggestSlug("Müller & Söhne")).toBe("muller-sohne");
    expect(suggestSlug("北京科技")).toBe("");
    expect(suggestSlug("北京 Tech 2")).toBe("tech-2");
  });

  it("stays within 40 characters and ends on a whole word", () => {
    const slug = suggestSlug("International Business Machines Corporation of Armonk");
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).toBe("international-business-machines");
    expect(suggestSlug("a".repeat(50))).toBe("a".repeat(40));
  });
});

describe("normalizeSlugInput", () => {
  it("lowercases, turns spaces into hyphens and drops the rest", () => {
    expect(normalizeSlugInput("My Company")).toBe("my-company");
    expect(normalizeSlugInput("ACME_co.uk!")).toBe("acme-co-uk");
    expect(normalizeSlugInput("x".repeat(45))).toHaveLength(40);
  });
});

describe("slugProblem", () => {
  it.each([
    ["ab", "tooShort"],
    ["a".repeat(41), "tooLong"],
    ["acme_co", "characters"],
    ["Acme", "characters"],
    ["-acme", "edges"],
    ["acme-", "edges"],
    ["acme--co", "doubleHyphen"],
    ["acme-co", null],
    ["a1b", null],
  ])("%s: %s", (slug, problem) => {
    expect(slugProblem(slug)).toBe(problem);
  });
});
