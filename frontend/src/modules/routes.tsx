import { lazy } from "react";
import type { RouteObject } from "react-router-dom";

import { page } from "../components/page";

const HomeDashboard = lazy(() => import("./HomeDashboard"));
const ModuleScreen = lazy(() => import("./ModuleScreen"));

/**
 * The generic module screens: "/" is the start page (the enabled modules' dashboards); every
 * other path of a module (/crm/deals, /crm/deals/board, /crm/deals/:id/edit …) is resolved
 * against the UI metadata by ModuleScreen. Static app and admin paths rank above ":module/*".
 */
export const moduleRoutes: RouteObject[] = [
  { index: true, element: page(<HomeDashboard />) },
  { path: ":module/*", element: page(<ModuleScreen />) },
];
