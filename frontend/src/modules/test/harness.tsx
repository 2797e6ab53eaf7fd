import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, configure, render } from "@testing-library/react";
import { App as AntApp } from "antd";
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes } from "react-router-dom";
import { afterEach, vi } from "vitest";

// Vitest runs without globals here, so Testing Library cannot unmount after each test itself.
afterEach(cleanup);
// antd draws slowly in jsdom: a screen that waits on two or three answers needs more than 1 s.
configure({ asyncUtilTimeout: 8000 });

import { MEMBERS, ME, MENUS, RESOURCES, SALES } from "./fixtures";

// The typed API client takes ``fetch`` and ``Request`` when it is made (on import): so both
// are stand-ins installed here, before any test imports a screen (import this module first).
// Relative URLs resolve against the test page's origin, as in a browser.
let answer: typeof fetch = () => Promise.reject(new Error("mockApi() was not called"));
globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => answer(input, init)) as typeof fetch;
const NodeRequest = globalThis.Request;
globalThis.Request = class extends NodeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === "string" ? new URL(input, "http://localhost") : input, init);
  }
} as typeof Request;

export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  /** The Accept-Language the call was made with. */
  language: string | null;
}

type Answer = ((call: Call) => unknown) | Reply | Record<string, unknown> | unknown[] | null;

/** A status and a body: what a route answers when it is not 200. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/**
 * ``fetch`` answering "METHOD /path" from ``routes`` (and the UI metadata, the signed-in user
 * and the members by default); every call is recorded.
 */
export function mockApi(routes: Record<string, Answer> = {}) {
  const calls: Call[] = [];
  const all: Record<string, Answer> = {
    "GET /api/v1/ui/resources": RESOURCES,
    "GET /api/v1/ui/menus": MENUS,
    "GET /api/v1/ui/dashboards": [SALES],
    "GET /api/v1/me": ME,
    "GET /api/v1/members": MEMBERS,
    ...routes,
  };
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : String(input), "http://localhost");
    const method = (request?.method ?? init?.method ?? "GET").toUpperCase();
    const text = request ? await request.clone().text() : typeof init?.body === "string" ? init.body : "";
    const headers = new Headers(request?.headers ?? init?.headers);
    const call: Call = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: text ? JSON.parse(text) : undefined,
      language: headers.get("Accept-Language"),
    };
    calls.push(call);
    const answer = all[`${method} ${url.pathname}`];
    if (answer === undefined) return new Response(JSON.stringify({ status: 404, title: "Not found" }), { status: 404 });
    const value = typeof answer === "function" ? (answer as (call: Call) => unknown)(call) : answer;
    if (value instanceof Reply) {
      return new Response(JSON.stringify(value.body), { status: value.status, headers: { "Content-Type": "application/problem+json" } });
    }
    return new Response(JSON.stringify(value ?? null), { status: 200, headers: { "Content-Type": "application/json" } });
  });
  answer = fetchMock as unknown as typeof fetch;
  return calls;
}

/** ``element`` at ``path`` (matched by ``pattern``), with the app's providers. */
export function renderAt(element: ReactNode, path: string, pattern = "*") {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <AntApp>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={pattern} element={element} />
          </Routes>
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}
