import { mockApi, renderAt, Reply } from "./test/harness";

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import i18n from "i18next";
import { describe, expect, it, vi } from "vitest";

import ListView, { deleteRecords } from "./ListView";
import { listQuery } from "./listQuery";
import { ACCOUNT, DEAL } from "./test/fixtures";

// antd renders slowly in jsdom.
vi.setConfig({ testTimeout: 20_000 });

const DEALS = {
  items: [
    { id: "d1", name: "Forklift fleet", account_id: "a1", amount: "1000.50", currency: "USD", expected_close: "2027-03-05", status: "open" },
    { id: "d2", name: "ERP rollout", account_id: null, amount: "20", currency: "EUR", expected_close: null, status: "won" },
  ],
  next_cursor: "next",
};

describe("the list view", () => {
  it("renders the declared columns, each value formatted by its type", async () => {
    mockApi({
      "GET /api/v1/crm/deals": DEALS,
      "GET /api/v1/crm/accounts/a1": { id: "a1", name: "Globex" },
    });
    renderAt(<ListView resource={DEAL} base="/crm/deals" title="Deals" />, "/crm/deals");
    expect(await screen.findByRole("heading", { level: 1, name: "Deals" })).toBeInTheDocument();
    const headers = (await screen.findAllByRole("columnheader")).map((h) => h.textContent);
    expect(headers).toEqual(["Name", "Account", "Amount", "Expected close", "Status"]);
    const row = (await screen.findByText("Forklift fleet")).closest("tr")!;
    expect(within(row).getByText("$1,000.50")).toBeInTheDocument();
    expect(within(row).getByText("Mar 5, 2027")).toBeInTheDocument();
    expect(within(row).getByText("Open")).toHaveAttribute("data-value", "open");
    // A reference shows the referenced record's title, linked to it.
    expect(await within(row).findByRole("link", { name: "Globex" })).toHaveAttribute("href", "/crm/accounts/a1");
    expect(within(row).getByRole("link", { name: "Forklift fleet" })).toHaveAttribute("href", "/crm/deals/d1");
    expect(screen.getByText("€20.00")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Load more" })).toBeInTheDocument();
  });

  it("sorts by a sortable column with the API's sort parameter, and searches with q", async () => {
    const calls = mockApi({ "GET /api/v1/crm/deals": DEALS });
    renderAt(<ListView resource={DEAL} base="/crm/deals" />, "/crm/deals");
    await screen.findByText("Forklift fleet");
    fireEvent.click(within(screen.getAllByRole("columnheader", { name: /Amount/ })[0]!).getByText("Amount"));
    await waitFor(() => expect(calls.some((c) => c.query.get("sort") === "amount")).toBe(true));
    await userEvent.type(screen.getByPlaceholderText("Search"), "fork{Enter}");
    await waitFor(() => expect(calls.some((c) => c.query.get("q") === "fork" && c.query.get("sort") === "amount")).toBe(true));
  });

  it("asks every question in the app's language, for the server's labels to come in it", async () => {
    const calls = mockApi({ "GET /api/v1/crm/deals": DEALS });
    await i18n.changeLanguage("zh");
    try {
      renderAt(<ListView resource={DEAL} base="/crm/deals" />, "/crm/deals");
      await screen.findByText("Forklift fleet");
      await waitFor(() => expect(calls.some((c) => c.path === "/api/v1/ui/resources")).toBe(true));
      expect(new Set(calls.map((c) => c.language))).toEqual(new Set(["zh"]));
    } finally {
      await i18n.changeLanguage("en");
    }
  });

  it("asks the next page with the cursor", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/deals": (call) => (call.query.get("cursor") ? { items: [], next_cursor: null } : DEALS),
    });
    renderAt(<ListView resource={DEAL} base="/crm/deals" />, "/crm/deals");
    fireEvent.click(await screen.findByRole("button", { name: "Load more" }));
    await waitFor(() => expect(calls.some((c) => c.query.get("cursor") === "next")).toBe(true));
  });

  it("says so when nothing is there yet, and offers to create the first", async () => {
    mockApi({ "GET /api/v1/crm/deals": { items: [], next_cursor: null } });
    renderAt(<ListView resource={DEAL} base="/crm/deals" />, "/crm/deals");
    expect(await screen.findByText("There is no Deal yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create the first Deal" })).toBeInTheDocument();
  });
});

describe("list state", () => {
  it("turns the address's filters into the API's parameters, as the metadata maps them", () => {
    const params = new URLSearchParams("q=acme&sort=-name&f.owner_id=u1&f.nope=1");
    expect(listQuery(ACCOUNT, params)).toEqual({ q: "acme", sort: "-name", owner: "u1" });
    // A sort the API does not declare is not sent.
    expect(listQuery(ACCOUNT, new URLSearchParams("sort=colour"))).toEqual({});
  });
});

describe("bulk delete", () => {
  it("deletes each record and tells what failed", async () => {
    const calls = mockApi({
      "DELETE /api/v1/crm/accounts/a1": null,
      "DELETE /api/v1/crm/accounts/a2": new Reply(409, { status: 409, detail: "It has open deals." }),
    });
    const result = await deleteRecords(ACCOUNT, [
      { id: "a1", name: "Globex" },
      { id: "a2", name: "Initech" },
    ]);
    expect(result).toEqual({ deleted: 1, failed: [{ title: "Initech", message: "It has open deals." }] });
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      "/api/v1/crm/accounts/a1",
      "/api/v1/crm/accounts/a2",
    ]);
  });
});
