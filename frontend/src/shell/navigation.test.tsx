import { screen } from "@testing-library/react";
import i18n from "i18next";
import { describe, expect, it } from "vitest";

import { buildNavigation, selectedPath, type MenuEntry } from "./navigation";
import { SideMenu } from "./SideMenu";
import { renderPage, sampleMe } from "./testing/render";

const t = i18n.getFixedT("en");

/** As GET /api/v1/ui/menus answers: already only the entries the member may see, any order. */
const MENUS: MenuEntry[] = [
  { module: "crm", label: "Deals", path: "/crm/deals", icon: "handshake", order: 23, resource: null, dashboard: null },
  { module: "notes", label: "Notes", path: "/notes", icon: "file-text", order: 100, resource: null, dashboard: null },
  { module: "crm", label: "Accounts", path: "/crm/accounts", icon: "building", order: 20, resource: null, dashboard: null },
  { module: "crm", label: "Reports", path: "/crm/reports", icon: "bar-chart", order: 26, resource: null, dashboard: null },
];

const ADMIN_PAGES = [
  { path: "/admin/members", labelKey: "menu.members", permission: "identity.member.read" },
  { path: "/admin/roles", labelKey: "menu.roles", permission: "access.role.manage" },
  { path: "/admin/audit", labelKey: "menu.audit", permission: "audit.entry.read" },
];

describe("buildNavigation", () => {
  it("groups the modules' entries by module, in their order, after home and approvals", () => {
    const me = sampleMe({ permissions: {} });
    const groups = buildNavigation({ menus: MENUS, me, adminPages: ADMIN_PAGES, t, moduleLabels: { crm: "CRM", notes: "Notes" } });
    expect(groups.map((g) => [g.label, g.items.map((i) => i.path)])).toEqual([
      [null, ["/", "/approvals"]],
      ["CRM", ["/crm/accounts", "/crm/deals", "/crm/reports"]],
      ["Notes", ["/notes"]],
    ]);
    expect(groups[0]?.items.map((i) => i.label)).toEqual(["Home", "My approvals"]);
  });

  it("shows only the admin pages whose permission the member holds", () => {
    const me = sampleMe({ permissions: { "identity.member.read": "all", "audit.entry.read": "all" } });
    const groups = buildNavigation({ menus: [], me, adminPages: ADMIN_PAGES, t });
    const admin = groups.find((g) => g.key === "admin");
    expect(admin?.label).toBe("Administration");
    expect(admin?.items.map((i) => i.path)).toEqual(["/admin/members", "/admin/audit"]);
    expect(admin?.items.map((i) => i.icon)).toEqual(["users", "audit"]);
  });

  it("has no admin group for a member without admin permissions", () => {
    const groups = buildNavigation({ menus: MENUS, me: sampleMe(), adminPages: ADMIN_PAGES, t });
    expect(groups.some((g) => g.key === "admin")).toBe(false);
  });

  it("shows plugins' labels as the server gives them (in the app's language), a module's name without one", () => {
    const zh = i18n.getFixedT("zh");
    const menus = MENUS.map((m) => (m.module === "crm" ? { ...m, label: { Deals: "商机", Accounts: "客户", Reports: "报表" }[m.label]! } : m));
    const groups = buildNavigation({ menus, me: sampleMe(), adminPages: [], t: zh, moduleLabels: { crm: "客户关系管理" } });
    expect(groups[0]?.items.map((i) => i.label)).toEqual(["首页", "我的审批"]);
    expect(groups[1]?.label).toBe("客户关系管理");
    expect(groups[1]?.items.map((i) => i.label)).toEqual(["客户", "商机", "报表"]);
    expect(groups[2]?.label).toBe("notes");
    expect(groups[2]?.items[0]?.label).toBe("Notes");
  });
});

describe("selectedPath", () => {
  const groups = buildNavigation({ menus: MENUS, me: sampleMe(), adminPages: [], t });

  it("picks the entry the address is under, the longest first", () => {
    expect(selectedPath("/crm/deals", groups)).toBe("/crm/deals");
    expect(selectedPath("/crm/deals/01900000-0000", groups)).toBe("/crm/deals");
    expect(selectedPath("/approvals/abc", groups)).toBe("/approvals");
    expect(selectedPath("/", groups)).toBe("/");
  });

  it("does not confuse a path with one that merely starts alike", () => {
    expect(selectedPath("/crm/dealsx", groups)).toBeUndefined();
    expect(selectedPath("/notifications", groups)).toBeUndefined();
  });
});

describe("SideMenu", () => {
  it("renders the groups with their headings, the current entry selected", async () => {
    const me = sampleMe({ permissions: { "identity.member.read": "all" } });
    const groups = buildNavigation({ menus: MENUS, me, adminPages: ADMIN_PAGES, t, moduleLabels: { crm: "CRM" } });
    renderPage(<SideMenu groups={groups} />, { path: "/crm/deals/42", route: "*" });
    expect(await screen.findByRole("navigation", { name: "Main menu" })).toBeInTheDocument();
    for (const heading of ["CRM", "notes", "Administration"]) expect(screen.getByText(heading)).toBeInTheDocument();
    expect(screen.getByText("Deals").closest("li")).toHaveClass("ant-menu-item-selected");
    expect(screen.queryByText("Roles")).not.toBeInTheDocument();
  });
});
