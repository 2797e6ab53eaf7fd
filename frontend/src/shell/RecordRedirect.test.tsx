import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("./testing/fetchMock")).installFetchMock());

import { ok } from "./testing/fetchMock";
import { renderPage, sampleMe } from "./testing/render";
import RecordRedirect from "./RecordRedirect";

const CLAIM = { module: "oa", name: "oa.expense_claim", label: "Expense claim", endpoint: "/api/v1/oa/expenses/claims" };

beforeEach(() => {
  fake.answer({
    "GET /api/v1/me": ok(sampleMe()),
    "GET /api/v1/ui/resources": ok([CLAIM]),
    "GET /api/v1/ui/menus": ok([
      { module: "oa", label: "Expense claims", path: "/oa/expenses/claims", icon: "receipt", order: 60, resource: "oa.expense_claim", dashboard: null },
    ]),
  });
});

describe("a record's link by its type", () => {
  it("opens the record's page under the menu entry of its resource", async () => {
    const { router } = renderPage(<RecordRedirect />, {
      path: "/records/oa.expense_claim/c-1",
      route: "/records/:recordType/:recordId",
      extraRoutes: [{ path: "/oa/expenses/claims/:id", element: <p>the claim</p> }],
    });
    expect(await screen.findByText("the claim")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/oa/expenses/claims/c-1");
  });

  it("says so when no screen of the caller shows that record type", async () => {
    renderPage(<RecordRedirect />, { path: "/records/crm.deal/d-1", route: "/records/:recordType/:recordId" });
    expect(await screen.findByText("This record has no page you can open.")).toBeInTheDocument();
  });
});
