import "@testing-library/jest-dom/vitest";
import "../i18n";

import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// Vitest runs without globals, so Testing Library cannot unmount between tests by itself.
afterEach(cleanup);
// Ant Design renders slowly in jsdom, more so on a busy 2-core machine: wait longer than the
// default second for what a test expects to appear.
configure({ asyncUtilTimeout: 10_000 });

// antd reads these browser APIs, which jsdom does not have.
Object.defineProperty(window, "matchMedia", {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoResizeObserver as unknown as typeof ResizeObserver;
