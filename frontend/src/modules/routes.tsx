import type { RouteObject } from "react-router-dom";

// Owned by the generic module screens work: /:module/... rendered from UI metadata.
export const moduleRoutes: RouteObject[] = [];
