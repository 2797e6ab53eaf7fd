import type { RouteObject } from "react-router-dom";

// Owned by the admin console work: everything under /admin.
export const adminRoutes: RouteObject[] = [];
