import { lazy } from "react";
import { useLocation } from "react-router-dom";

import { ErrorNotice } from "../components/ErrorNotice";
import { NotFound } from "../components/NotFound";
import { page } from "../components/page";
import { PageLoading } from "../components/PageLoading";
import { resolveScreen, useDashboards, useMenus, useResources } from "./metadata";

// Each view is its own chunk: a list does not load the board, nor ECharts.
const ListView = lazy(() => import("./ListView"));
const FormView = lazy(() => import("./FormView"));
const DetailView = lazy(() => import("./DetailView"));
const KanbanView = lazy(() => import("./KanbanView"));
const CalendarView = lazy(() => import("./CalendarView"));
const DashboardView = lazy(() => import("./DashboardView"));

/** Any module path: the resource or dashboard the UI metadata puts there, in the right view. */
export default function ModuleScreen() {
  const location = useLocation();
  const menus = useMenus();
  const resources = useResources();
  const dashboards = useDashboards();
  if (menus.isPending || resources.isPending || dashboards.isPending) return <PageLoading />;
  const failed = menus.error ?? resources.error ?? dashboards.error;
  if (failed) {
    return (
      <div style={{ padding: 24 }}>
        <ErrorNotice
          error={failed}
          retry={() => {
            void menus.refetch();
            void resources.refetch();
            void dashboards.refetch();
          }}
        />
      </div>
    );
  }
  const screen = resolveScreen(location.pathname, menus.data ?? [], resources.data ?? [], dashboards.data ?? []);
  if (screen.kind === "none") return <NotFound />;
  if (screen.kind === "dashboard") return page(<DashboardView key={screen.dashboard.name} dashboard={screen.dashboard} />);
  const { resource, base, view, id, title } = screen;
  // Keyed by resource and record: moving between them starts each screen afresh.
  const key = `${resource.name}:${id ?? ""}`;
  switch (view) {
    case "list":
      return page(<ListView key={key} resource={resource} base={base} title={title} />);
    case "new":
      return page(<FormView key={`${key}:new${location.search}`} resource={resource} base={base} />);
    case "edit":
      return page(<FormView key={`${key}:edit`} resource={resource} base={base} id={id} />);
    case "detail":
      return page(<DetailView key={key} resource={resource} base={base} id={id!} title={title} />);
    case "board":
      return page(<KanbanView key={key} resource={resource} base={base} title={title} />);
    case "calendar":
      return page(<CalendarView key={key} resource={resource} base={base} title={title} />);
  }
}
