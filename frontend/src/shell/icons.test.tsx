import { describe, expect, it } from "vitest";

import { GENERIC_ICON, iconComponent } from "./icons";

describe("menu icons", () => {
  it("maps the plugins' icon names, and falls back to a generic icon", () => {
    for (const name of ["users", "building", "handshake", "calendar", "bar-chart", "life-buoy", "user-plus"]) {
      expect(iconComponent(name)).not.toBe(GENERIC_ICON);
    }
    expect(iconComponent("Users")).toBe(iconComponent("users"));
    expect(iconComponent("no-such-icon")).toBe(GENERIC_ICON);
    expect(iconComponent("")).toBe(GENERIC_ICON);
  });
});
