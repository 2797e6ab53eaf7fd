import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { configure, render } from "@testing-library/react";
import { App as AntApp } from "antd";
import type { ReactElement } from "react";
import { MemoryRouter } from "react-router-dom";

// antd is slow to render in jsdom on a busy machine: wait longer than the 1 s default.
configure({ asyncUtilTimeout: 5000 });

/** Render with what the app provides around a page: queries, antd's App, a router. */
export function renderPage(element: ReactElement, path = "/") {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <AntApp>
        <MemoryRouter initialEntries={[path]}>{element}</MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}
