import { mockApi, renderAt } from "./test/harness";

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import DetailView from "./DetailView";
import { describeChanges } from "./detail/AuditHistory";
import { myOpenTask } from "./detail/Approvals";
import { relationsOf } from "./detail/RelatedLists";
import { ACCOUNT, DEAL, RESOURCES, TICKET } from "./test/fixtures";

vi.setConfig({ testTimeout: 20_000 });

describe("the detail view", () => {
  it("shows the fields, related records by their reference filter, the timeline and the history", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/accounts/a1": { id: "a1", name: "Globex", owner_id: "u1" },
      "GET /api/v1/crm/tickets": { items: [{ id: "t1", subject: "Printer jammed", account_id: "a1", status: "open" }], next_cursor: null },
      "GET /api/v1/crm/accounts/a1/timeline": {
        items: [{ at: "2027-03-01T10:00:00Z", kind: "crm.deal.won", title: "Forklift fleet won", detail: null, record_type: "crm.deal", record_id: "d1", module: "crm" }],
        next_cursor: null,
      },
      "GET /api/v1/audit/records/crm_account/a1": {
        items: [{ seq: 2, occurred_at: "2027-03-01T10:00:00Z", actor_kind: "user", actor_user_id: "u1", actor_token_id: null, action: "update", record_type: "crm_account", record_id: "a1", changes: { name: ["Globx", "Globex"] }, request_id: null, ip: null, user_agent: null, hash: "x" }],
        next_cursor: null,
      },
    });
    renderAt(<DetailView resource={ACCOUNT} base="/crm/accounts" id="a1" />, "/crm/accounts/a1");
    expect(await screen.findByRole("heading", { level: 1, name: "Globex" })).toBeInTheDocument();
    expect(await screen.findAllByText("Olivia Owner")).not.toHaveLength(0);
    // Tickets point at accounts with a filter: a related list, asked for this account's.
    expect(await screen.findByRole("link", { name: "Printer jammed" })).toHaveAttribute("href", "/crm/tickets/t1");
    const asked = calls.find((c) => c.path === "/api/v1/crm/tickets");
    expect(asked?.query.get("account_id")).toBe("a1");

    fireEvent.click(screen.getByRole("tab", { name: "Timeline" }));
    expect(await screen.findByRole("link", { name: "Forklift fleet won" })).toHaveAttribute("href", "/crm/deals/d1");
    fireEvent.click(screen.getByRole("tab", { name: "History" }));
    expect(await screen.findByText("Name: Globx → Globex")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Delete/ })).toBeInTheDocument();
  });

  it("shows approvals and lets the approver whose task it is decide", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/deals/d1": { id: "d1", name: "Forklift fleet", amount: "10", currency: "USD", status: "open", stage_id: "s1" },
      "GET /api/v1/crm/stages": { items: [{ id: "s1", name: "Qualification" }], next_cursor: null },
      "GET /api/v1/workflow/records/crm.deal/d1/history": [
        {
          instance: {
            id: "i1", definition_id: "w1", version: 1, record_type: "crm.deal", record_id: "d1", requester_user_id: "u2",
            status: "pending", current_step: 0, created_at: "2027-03-01T10:00:00Z", finished_at: null,
            tasks: [{ id: "k1", instance_id: "i1", step_index: 0, step_name: "Sales manager", assignee_user_id: "u1", status: "pending", due_at: null, acted_at: null, comment: null, replaces_id: null, created_at: "2027-03-01T10:00:00Z" }],
          },
          actions: [],
        },
      ],
      "POST /api/v1/workflow/tasks/k1/approve": {},
    });
    renderAt(<DetailView resource={DEAL} base="/crm/deals" id="d1" />, "/crm/deals/d1");
    fireEvent.click(await screen.findByRole("tab", { name: "Approvals" }));
    fireEvent.click(await screen.findByRole("button", { name: "Approve" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST" && c.path.endsWith("/k1/approve"))).toBe(true));
  });
});

describe("detail helpers", () => {
  it("finds the resources related by a reference filter", () => {
    expect(relationsOf(ACCOUNT, RESOURCES).map((r) => [r.resource.name, r.field])).toEqual([["crm.ticket", "account_id"]]);
    expect(relationsOf(TICKET, RESOURCES)).toEqual([]);
  });

  it("reads the audit trail's changes with the fields' labels", () => {
    expect(describeChanges(ACCOUNT, { name: ["A", "B"], owner_id: [null, "u1"] })).toEqual(["Name: A → B", "Owner: — → u1"]);
  });

  it("finds my pending task", () => {
    const task = { id: "k1", status: "pending", assignee_user_id: "u1" };
    const history = [{ instance: { status: "pending", tasks: [task] }, actions: [] }] as never;
    expect(myOpenTask(history, "u1")?.id).toBe("k1");
    expect(myOpenTask(history, "u2")).toBeUndefined();
  });
});
