import { describe, expect, it } from "vitest";

import { safeNext } from "./safeNext";

describe("safeNext", () => {
  it("keeps a path of this app, with its query and hash", () => {
    expect(safeNext("/crm/deals?stage=2#top")).toBe("/crm/deals?stage=2#top");
    expect(safeNext("/approvals")).toBe("/approvals");
  });

  it.each([
    null,
    "",
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "javascript:alert(1)",
    "crm/deals",
    "/\tevil",
    "/login?next=/x",
  ])("refuses %s", (next) => {
    expect(safeNext(next)).toBe("/");
  });
});
