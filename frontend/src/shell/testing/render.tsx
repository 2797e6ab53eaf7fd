import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp } from "antd";
import { cleanup, configure, render } from "@testing-library/react";
import type { ReactElement } from "react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router-dom";
import { afterEach } from "vitest";

import type { Me } from "../../app/session";

// Testing Library unmounts after each test only where the runner's globals are on; here they
// are not, so every test file that renders through this module unmounts explicitly.
afterEach(() => cleanup());

// Role queries check each element's visibility through getComputedStyle, which jsdom makes
// slow on Ant Design's styled trees; the pages here render nothing hidden worth excluding.
// Waiting is allowed longer than the default second: a busy machine renders antd slowly.
configure({ defaultHidden: true, asyncUtilTimeout: 5_000 });

/** A fresh query client that neither retries nor caches across tests. */
export function testQueryClient(): QueryClient {
  return new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
}

/**
 * Renders ``element`` at ``path`` (matched by ``route``) with the app's providers; other routes
 * render their path, so a test can see where a page navigated to.
 */
export function renderPage(
  element: ReactElement,
  { path = "/", route = path, extraRoutes = [] }: { path?: string; route?: string; extraRoutes?: RouteObject[] } = {},
) {
  const client = testQueryClient();
  const router = createMemoryRouter(
    [
      { path: route, element },
      ...extraRoutes,
      { path: "*", element: <p data-testid="elsewhere">elsewhere</p> },
    ],
    { initialEntries: [path] },
  );
  const view = render(
    <QueryClientProvider client={client}>
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </QueryClientProvider>,
  );
  return { ...view, router, client };
}

/** A signed-in member as GET /api/v1/me gives it. */
export function sampleMe(overrides: Partial<Me> = {}): Me {
  return {
    user: { id: "u-ann", email: "ann@example.com", name: "Ann Admin", email_verified: true },
    tenant: { id: "t-acme", slug: "acme", name: "Acme", role: "owner" },
    tenants: [{ id: "t-acme", slug: "acme", name: "Acme", role: "owner" }],
    auth: "session",
    permissions: {},
    modules: ["crm"],
    csrf_token: "csrf",
    ...overrides,
  };
}
