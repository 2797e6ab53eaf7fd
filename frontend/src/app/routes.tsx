import type { ReactNode } from "react";
import { createBrowserRouter, Navigate, useLocation } from "react-router-dom";

import { moduleRoutes } from "../modules/routes";
import { adminRoutes } from "../pages/admin/routes";
import { appRoutes, publicRoutes } from "../pages/public/routes";
import { PageLoading } from "../components/PageLoading";
import { NotFound } from "../components/NotFound";
import { Shell } from "../shell/Shell";
import { useMe } from "./session";

/** Signed-in pages: anyone else goes to the log-in page, and comes back after. */
function RequireSession({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <>{children}</>;
}

export const router = createBrowserRouter([
  ...publicRoutes,
  {
    path: "/",
    element: (
      <RequireSession>
        <Shell />
      </RequireSession>
    ),
    children: [...appRoutes, ...adminRoutes, ...moduleRoutes, { path: "*", element: <NotFound /> }],
  },
]);
