import { describe, expect, it, vi } from "vitest";

interface Held {
  method: string;
  signal: AbortSignal;
  answer: (status: number) => void;
}

// The typed client keeps the fetch and Request it found when it loaded: install them first. A
// fetch that answers only when told, and rejects as the browser does when its signal aborts.
const calls = vi.hoisted(() => {
  const held: Held[] = [];
  const NodeRequest = globalThis.Request;
  class PageRequest extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === "string" && input.startsWith("/") ? new URL(input, "http://localhost") : input, init);
    }
  }
  globalThis.Request = PageRequest as typeof Request;
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new PageRequest(input, init);
    return new Promise<Response>((resolve, reject) => {
      const abort = () => reject(new DOMException("aborted", "AbortError"));
      if (request.signal.aborted) return abort();
      request.signal.addEventListener("abort", abort);
      held.push({
        method: request.method,
        signal: request.signal,
        answer: (status) => resolve(new Response(status === 204 ? null : "{}", { status })),
      });
    });
  }) as typeof fetch;
  return held;
});

import { api, request, withoutReads } from "./client";

describe("withoutReads", () => {
  it("abandons reads in flight and holds new ones back while the session changes", async () => {
    const typedRead = api.GET("/api/v1/notifications/unread-count");
    const pluginRead = request("GET", "/api/v1/crm/deals");
    await vi.waitFor(() => expect(calls).toHaveLength(2));

    const change = withoutReads(async () => {
      const during = request("GET", "/api/v1/me");
      await expect(during).rejects.toThrow(/aborted/);
      const write = api.POST("/api/v1/auth/logout");
      await vi.waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
      calls.find((c) => c.method === "POST")?.answer(204);
      return write;
    });

    await expect(typedRead).rejects.toThrow(/aborted/);
    await expect(pluginRead).rejects.toThrow(/aborted/);
    expect((await change).response.status).toBe(204);

    // Afterwards reads go ahead again.
    const after = request("GET", "/api/v1/me");
    await vi.waitFor(() => expect(calls.filter((c) => c.method === "GET" && !c.signal.aborted)).toHaveLength(1));
    calls.find((c) => !c.signal.aborted && c.method === "GET")?.answer(200);
    await expect(after).resolves.toEqual({});
  });
});
