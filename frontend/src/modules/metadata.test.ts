import { describe, expect, it } from "vitest";

import { resolveScreen } from "./metadata";
import { ACCOUNT, DEAL, MENUS, RESOURCES, SALES } from "./test/fixtures";

describe("resolveScreen", () => {
  const resolve = (path: string) => resolveScreen(path, MENUS, RESOURCES, [SALES]);

  it("opens a resource's views at its menu path", () => {
    expect(resolve("/crm/deals")).toMatchObject({ kind: "resource", resource: DEAL, view: "list", title: "Deals" });
    expect(resolve("/crm/deals/new")).toMatchObject({ view: "new" });
    expect(resolve("/crm/deals/board")).toMatchObject({ view: "board" });
    expect(resolve("/crm/deals/calendar")).toMatchObject({ view: "calendar" });
    expect(resolve("/crm/deals/d1")).toMatchObject({ view: "detail", id: "d1" });
    expect(resolve("/crm/deals/d1/edit")).toMatchObject({ view: "edit", id: "d1" });
  });

  it("opens the dashboard a menu entry names", () => {
    expect(resolve("/crm/reports")).toMatchObject({ kind: "dashboard", dashboard: SALES });
  });

  it("reaches resources without a menu entry at their endpoint's path", () => {
    expect(resolve("/crm/accounts/a1")).toMatchObject({ resource: ACCOUNT, view: "detail", id: "a1" });
  });

  it("offers only the views the metadata declares", () => {
    // Accounts have no board, and stages are read-only: no such screens.
    expect(resolve("/crm/accounts/board")).toEqual({ kind: "none" });
    expect(resolve("/crm/stages/new")).toEqual({ kind: "none" });
    expect(resolve("/crm/nothing")).toEqual({ kind: "none" });
    expect(resolve("/crm/deals/d1/edit/more")).toEqual({ kind: "none" });
  });

  it("has no edit form for records that are made but never changed", () => {
    const requests = { ...DEAL, can_edit: false };
    const screens = (path: string) => resolveScreen(path, MENUS, [requests], [SALES]);
    expect(screens("/crm/deals/new")).toMatchObject({ view: "new" });
    expect(screens("/crm/deals/d1")).toMatchObject({ view: "detail" });
    expect(screens("/crm/deals/d1/edit")).toEqual({ kind: "none" });
  });
});
