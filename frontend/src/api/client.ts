import createClient, { type Middleware } from "openapi-fetch";

import i18n from "../i18n";
import type { paths } from "./schema";

/** The problem details (RFC 9457) every error answer of the API carries. */
export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  /** Field errors: where (a dotted path into the request body) and what is wrong. */
  errors?: { field: string; message: string }[];
}

/** An answer that was not 2xx: its problem details, for forms to show at the right field. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.status = problem.status;
    this.problem = problem;
  }

  /** Field name -> message, for antd's Form.setFields. */
  fieldErrors(): Record<string, string> {
    const found: Record<string, string> = {};
    for (const error of this.problem.errors ?? []) found[error.field] = error.message;
    return found;
  }
}

const CSRF_COOKIE = "tessera_csrf";

export function csrfToken(): string | undefined {
  const match = document.cookie.split("; ").find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : undefined;
}

// Writes carry the session's CSRF token (the server compares it with the session's copy).
const csrf: Middleware = {
  onRequest({ request }) {
    if (!["GET", "HEAD", "OPTIONS"].includes(request.method)) {
      const token = csrfToken();
      if (token) request.headers.set("X-CSRF-Token", token);
    }
    return request;
  },
};

// Plugins' labels, option names and permission descriptions come from the server in the
// app's language (each plugin's catalogue), not the browser's.
const language: Middleware = {
  onRequest({ request }) {
    request.headers.set("Accept-Language", i18n.language);
    return request;
  },
};

// Reads belong to the session they started in. Signing out or switching company abandons those
// in flight, and holds new ones back until the change is made: answered after it, they would
// come back 401 or 403, and the browser logs every such answer as an error. An aborted read is
// never sent or its answer never read, so nothing is logged.
let reads = new AbortController();

function readSignal(own: AbortSignal | null | undefined): AbortSignal {
  return own ? AbortSignal.any([own, reads.signal]) : reads.signal;
}

/** Runs ``change`` (a write that ends or swaps the session) with every read abandoned. */
export async function withoutReads<T>(change: () => Promise<T>): Promise<T> {
  reads.abort();
  try {
    return await change();
  } finally {
    reads = new AbortController();
  }
}

const sessionReads: Middleware = {
  onRequest({ request }) {
    if (request.method !== "GET") return request;
    return new Request(request, { signal: readSignal(request.signal) });
  },
};

export const api = createClient<paths>({ baseUrl: "", credentials: "same-origin" });
api.use(csrf, language, sessionReads);

/** The data of an openapi-fetch answer, or its problem as an ApiError. */
export async function unwrap<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw new ApiError(asProblem(error, response.status));
  return data as T;
}

function asProblem(error: unknown, status: number): Problem {
  if (error && typeof error === "object") return { status, ...(error as object) } as Problem;
  return { status, detail: typeof error === "string" ? error : undefined };
}

/**
 * A request to a path only known at run time (a plugin's resource endpoint from its UI
 * metadata): the same session, CSRF and error handling as the typed client.
 */
export async function request<T>(
  method: string,
  path: string,
  options: { query?: Record<string, string | number | boolean | undefined>; body?: unknown } = {},
): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": i18n.language };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (!["GET", "HEAD"].includes(method)) {
    const token = csrfToken();
    if (token) headers["X-CSRF-Token"] = token;
  }
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: method === "GET" ? readSignal(undefined) : undefined,
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(asProblem(parsed, response.status));
  return parsed as T;
}
