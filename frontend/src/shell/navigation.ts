import type { TFunction } from "i18next";

import type { components } from "../api/schema";
import { can, type Me } from "../app/session";
import type { AdminPage } from "../pages/admin/menu";

export type MenuEntry = components["schemas"]["MenuOut"];

export interface NavItem {
  path: string;
  label: string;
  /** An icon name, as plugins give them (see icons.tsx). */
  icon: string;
}

export interface NavGroup {
  key: string;
  /** Null for the first group, which needs no heading. */
  label: string | null;
  items: NavItem[];
}

/** The admin console's pages by the last word of their path, for an icon each. */
const ADMIN_ICONS: Record<string, string> = {
  members: "users",
  invitations: "user-plus",
  roles: "clipboard-check",
  modules: "project",
  audit: "audit",
  webhooks: "mail",
  "dead-letters": "inbox",
  events: "inbox",
  workflows: "check-square",
  "recycle-bin": "folder",
  tokens: "tag",
  jobs: "database",
};

export function adminIcon(path: string): string {
  const last = path.split("/").filter(Boolean).pop() ?? "";
  return ADMIN_ICONS[last] ?? "settings";
}

/**
 * The side menu: the start page and the approvals inbox; then each enabled module's entries
 * under its name (modules in the order of their first entry, entries by their order); then
 * the admin pages the member holds the permission for.
 *
 * ``/api/v1/ui/menus`` already leaves out entries whose permission the member lacks. Plugin
 * labels are English data: a translation in the "shell" namespace is used where there is one.
 */
export function buildNavigation({
  menus,
  me,
  adminPages,
  t,
  moduleLabels = {},
}: {
  menus: readonly MenuEntry[];
  me: Me | null | undefined;
  adminPages: readonly AdminPage[];
  t: TFunction;
  /** Module name -> its label from GET /api/v1/modules, when the member may read it. */
  moduleLabels?: Record<string, string>;
}): NavGroup[] {
  const groups: NavGroup[] = [
    {
      key: "start",
      label: null,
      items: [
        { path: "/", label: t("shell:nav.home"), icon: "home" },
        { path: "/approvals", label: t("shell:nav.approvals"), icon: "check-square" },
      ],
    },
  ];

  const byModule = new Map<string, MenuEntry[]>();
  for (const entry of menus) {
    const list = byModule.get(entry.module) ?? [];
    list.push(entry);
    byModule.set(entry.module, list);
  }
  const modules = [...byModule.entries()]
    .map(([module, entries]) => ({
      module,
      entries: [...entries].sort((a, b) => a.order - b.order || a.label.localeCompare(b.label)),
    }))
    .sort((a, b) => (a.entries[0]?.order ?? 0) - (b.entries[0]?.order ?? 0) || a.module.localeCompare(b.module));
  for (const { module, entries } of modules) {
    groups.push({
      key: `module:${module}`,
      label: moduleLabels[module] ?? module,
      items: entries.map((entry) => ({
        path: entry.path,
        label: entry.label,
        icon: entry.icon,
      })),
    });
  }

  const admin = adminPages.filter((page) => can(me, page.permission));
  if (admin.length > 0) {
    groups.push({
      key: "admin",
      label: t("shell:nav.admin"),
      items: admin.map((page) => ({
        path: page.path,
        label: t(page.labelKey, { ns: "admin" }),
        icon: adminIcon(page.path),
      })),
    });
  }
  return groups;
}

/** The menu entry the current address belongs to: the longest path it starts with. */
export function selectedPath(pathname: string, groups: readonly NavGroup[]): string | undefined {
  let best: string | undefined;
  for (const group of groups) {
    for (const { path } of group.items) {
      const matches = path === "/" ? pathname === "/" : pathname === path || pathname.startsWith(`${path}/`);
      if (matches && (best === undefined || path.length > best.length)) best = path;
    }
  }
  return best;
}
