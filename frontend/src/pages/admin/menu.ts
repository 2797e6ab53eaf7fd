/**
 * The admin console's pages, for the shell's menu: each shown to members who hold its
 * permission. Labels are keys of the "admin" namespace.
 */
export interface AdminPage {
  path: string;
  labelKey: string;
  permission: string;
}

// The permission of each page is the one its API reads need (see platform/tessera/*/routes.py),
// so the menu never offers a page whose first request would be refused.
export const ADMIN_PAGES: AdminPage[] = [
  { path: "/admin/modules", labelKey: "menu.modules", permission: "modules.module.read" },
  { path: "/admin/members", labelKey: "menu.members", permission: "identity.member.read" },
  { path: "/admin/roles", labelKey: "menu.roles", permission: "access.role.read" },
  // Every member reads the profile (it is on what they send out); changing it takes
  // company.profile.manage, which the page asks for before it offers a change.
  { path: "/admin/company", labelKey: "menu.company", permission: "identity.member.read" },
  // Personal API tokens need no permission of their own, only membership; every built-in role
  // holds identity.member.read, so it stands for "any member" here.
  { path: "/admin/tokens", labelKey: "menu.tokens", permission: "identity.member.read" },
  { path: "/admin/webhooks", labelKey: "menu.webhooks", permission: "webhooks.endpoint.manage" },
  { path: "/admin/audit", labelKey: "menu.audit", permission: "audit.entry.read" },
  {
    path: "/admin/workflows",
    labelKey: "menu.workflows",
    permission: "workflow.definition.manage",
  },
  {
    path: "/admin/dead-letters",
    labelKey: "menu.deadLetters",
    permission: "events.dead_letter.manage",
  },
  { path: "/admin/recycle-bin", labelKey: "menu.recycleBin", permission: "recycle.item.read" },
];
