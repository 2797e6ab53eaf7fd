import { lazy } from "react";
import type { RouteObject } from "react-router-dom";

import { page } from "../../components/page";

// Each page is its own chunk: the log-in page does not carry the sign-up form, nor the shell.
const SignupPage = lazy(() => import("./SignupPage"));
const LoginPage = lazy(() => import("./LoginPage"));
const ForgotPasswordPage = lazy(() => import("./ForgotPasswordPage"));
const ResetPasswordPage = lazy(() => import("./ResetPasswordPage"));
const AcceptInvitationPage = lazy(() => import("./AcceptInvitationPage"));
const VerifyEmailPage = lazy(() => import("./VerifyEmailPage"));
const ApprovalsPage = lazy(() => import("../../shell/approvals/ApprovalsPage"));
const NotificationsPage = lazy(() => import("../../shell/notifications/NotificationsPage"));
const RecordRedirect = lazy(() => import("../../shell/RecordRedirect"));

/** Pages before signing in (outside the shell). */
export const publicRoutes: RouteObject[] = [
  { path: "/signup", element: page(<SignupPage />) },
  { path: "/login", element: page(<LoginPage />) },
  { path: "/forgot-password", element: page(<ForgotPasswordPage />) },
  { path: "/reset-password", element: page(<ResetPasswordPage />) },
  { path: "/accept-invitation", element: page(<AcceptInvitationPage />) },
  // The address invitation mails carry (tessera.identity.invitations).
  { path: "/invitations/accept", element: page(<AcceptInvitationPage />) },
  { path: "/verify-email", element: page(<VerifyEmailPage />) },
];

/** Signed-in pages of the shell itself (the start page "/" belongs to the modules' screens). */
export const appRoutes: RouteObject[] = [
  { path: "approvals", element: page(<ApprovalsPage />) },
  // Where approval notifications link: the inbox with that request in view.
  { path: "approvals/:instanceId", element: page(<ApprovalsPage />) },
  { path: "notifications", element: page(<NotificationsPage />) },
  // Where the server links a record by its type (a requester's approval outcome).
  { path: "records/:recordType/:recordId", element: page(<RecordRedirect />) },
];
