/**
 * A fake API for unit tests: answers fetch calls by method and path. Install it before the
 * API client is imported (``await vi.hoisted(...)``), since openapi-fetch keeps the fetch it
 * finds when the client is made.
 */
export interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export type Answer = { status?: number; body?: unknown };
type Responder = (call: Call) => Answer;

const ORIGIN = "http://localhost:3000";

/** A request's JSON body, or its text as it came when it is none (a multipart upload). */
function parsed(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function installFetchMock() {
  const routes: { method: string; path: string | RegExp; respond: Responder }[] = [];
  const calls: Call[] = [];

  // jsdom's page is at localhost:3000, but Node's Request will not take a relative URL.
  const NodeRequest = globalThis.Request;
  globalThis.Request = class extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === "string" && input.startsWith("/") ? ORIGIN + input : input, init);
    }
  } as typeof Request;

  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url, ORIGIN);
    const text = await request.text();
    const call: Call = {
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: parsed(text),
    };
    calls.push(call);
    const route = routes.find(
      (r) =>
        r.method === call.method &&
        (typeof r.path === "string" ? r.path === call.path : r.path.test(call.path)),
    );
    const answer = route
      ? route.respond(call)
      : { status: 404, body: { status: 404, detail: `No mock for ${call.method} ${call.path}` } };
    const status = answer.status ?? 200;
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status,
      headers: { "Content-Type": status < 400 ? "application/json" : "application/problem+json" },
    });
  }) as typeof fetch;

  return {
    calls,
    on(method: string, path: string | RegExp, respond: Responder | Answer) {
      routes.unshift({
        method,
        path,
        respond: typeof respond === "function" ? respond : () => respond,
      });
    },
    reset() {
      routes.length = 0;
      calls.length = 0;
    },
  };
}

/** A signed-in owner of a tenant, as GET /api/v1/me answers. */
export function meAnswer(permissions: Record<string, string> = {}, modules: string[] = []) {
  return {
    user: { id: "u-1", email: "owner@example.com", name: "Olive Owner", email_verified: true },
    tenant: { id: "t-1", slug: "acme", name: "Acme", role: "owner" },
    tenants: [],
    auth: "session",
    permissions,
    modules,
    csrf_token: "csrf",
  };
}
