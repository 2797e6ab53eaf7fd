/**
 * The admin console's pages, for the shell's menu: each shown to members who hold its
 * permission. Labels are keys of the "admin" namespace.
 */
export interface AdminPage {
  path: string;
  labelKey: string;
  permission: string;
}

// Owned by the admin console work, which fills in each page's permission.
export const ADMIN_PAGES: AdminPage[] = [];
