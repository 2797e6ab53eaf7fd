import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import { Navigate, type RouteObject } from "react-router-dom";

import { can, useMe } from "../../app/session";
import { NotFound } from "../../components/NotFound";
import { PageLoading } from "../../components/PageLoading";
import { page } from "../../components/page";
import { ADMIN_PAGES } from "./menu";
import { RequirePermission } from "./shared/AdminPage";

// Each page is its own chunk: the admin console costs nothing until someone opens it.
const PAGES: Record<string, LazyExoticComponent<ComponentType>> = {
  "/admin/modules": lazy(() => import("./modules/ModulesPage")),
  "/admin/members": lazy(() => import("./members/MembersPage")),
  "/admin/company": lazy(() => import("./company/CompanyPage")),
  "/admin/roles": lazy(() => import("./roles/RolesPage")),
  "/admin/tokens": lazy(() => import("./tokens/TokensPage")),
  "/admin/webhooks": lazy(() => import("./webhooks/WebhooksPage")),
  "/admin/audit": lazy(() => import("./audit/AuditPage")),
  "/admin/workflows": lazy(() => import("./workflows/WorkflowsPage")),
  "/admin/dead-letters": lazy(() => import("./deadLetters/DeadLettersPage")),
  "/admin/recycle-bin": lazy(() => import("./recycle/RecycleBinPage")),
};

/** /admin itself: the first admin page the member may see. */
function AdminIndex() {
  const me = useMe();
  if (me.isPending) return <PageLoading />;
  const first = ADMIN_PAGES.find((p) => can(me.data, p.permission));
  return first ? <Navigate to={first.path} replace /> : <NotFound />;
}

// Owned by the admin console work: everything under /admin. A page's route and its menu entry
// come from the same ADMIN_PAGES entry, so both ask for the same permission.
export const adminRoutes: RouteObject[] = [
  { path: "admin", element: <AdminIndex /> },
  ...ADMIN_PAGES.map((entry): RouteObject => {
    const Page = PAGES[entry.path];
    if (!Page) throw new Error(`No page for ${entry.path}`);
    return {
      path: entry.path.slice(1),
      element: (
        <RequirePermission permission={entry.permission}>{page(<Page />)}</RequirePermission>
      ),
    };
  }),
];
