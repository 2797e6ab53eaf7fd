import type { RouteObject } from "react-router-dom";

// Owned by the public pages and shell work: sign-up, log-in, password reset, invitations,
// e-mail verification (publicRoutes, outside the shell) and the start page, approvals inbox
// and notifications (appRoutes, inside it).
export const publicRoutes: RouteObject[] = [];
export const appRoutes: RouteObject[] = [];
