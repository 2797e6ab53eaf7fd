import { vi } from "vitest";

/**
 * A fake API for unit tests: answers by "METHOD /path" from a table, and records every call.
 *
 * The typed client (openapi-fetch) keeps the ``fetch`` and ``Request`` it found when it was
 * created, so this must be installed before src/api/client.ts loads: call it from
 * ``await vi.hoisted(async () => (await import("…/fetchMock")).installFetchMock())``.
 */

export interface FakeRequest {
  method: string;
  url: URL;
  body: unknown;
  headers: Headers;
}

export type Answer = { status: number; body?: unknown } | { body: unknown; status?: number };
export type Route = Answer | ((request: FakeRequest) => Answer | Promise<Answer>);

/** Shorthand answers. */
export const ok = (body: unknown): Answer => ({ status: 200, body });
export const problem = (status: number, detail: string, errors?: { field: string; message: string }[]): Answer => ({
  status,
  body: { type: "about:blank", title: "Problem", status, detail, ...(errors ? { errors } : {}) },
});

export interface FetchMock {
  /** Replace the table of answers. */
  answer(routes: Record<string, Route>): void;
  /** Every request made, in order. */
  calls: FakeRequest[];
  /** The requests to one "METHOD /path". */
  callsTo(route: string): FakeRequest[];
}

const ORIGIN = "http://localhost:3000";

export function installFetchMock(): FetchMock {
  // Node's Request refuses a relative URL; the browser resolves it against the page.
  const NodeRequest = globalThis.Request;
  class PageRequest extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === "string" && input.startsWith("/") ? new URL(input, ORIGIN) : input, init);
    }
  }
  globalThis.Request = PageRequest as typeof Request;

  let routes: Record<string, Route> = {};
  const calls: FakeRequest[] = [];

  globalThis.fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new PageRequest(input, init);
    const text = await request.text();
    let body: unknown = undefined;
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const url = new URL(request.url, ORIGIN);
    const fake: FakeRequest = { method: request.method, url, body, headers: request.headers };
    calls.push(fake);
    const route = routes[`${request.method} ${url.pathname}`];
    if (route === undefined) {
      return new Response(JSON.stringify({ status: 404, detail: `No fake answer for ${request.method} ${url.pathname}` }), {
        status: 404,
        headers: { "Content-Type": "application/problem+json" },
      });
    }
    const answer = typeof route === "function" ? await route(fake) : route;
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status,
      headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json" },
    });
  }) as typeof fetch;

  return {
    answer(next) {
      routes = next;
      calls.length = 0;
    },
    calls,
    callsTo(route) {
      const [method, path] = route.split(" ");
      return calls.filter((call) => call.method === method && call.url.pathname === path);
    },
  };
}
