import { mockApi, renderAt, Reply, type Call } from "./test/harness";

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import DetailView from "./DetailView";
import { describeChanges } from "./detail/AuditHistory";
import { myOpenTask } from "./detail/Approvals";
import { relationsOf } from "./detail/RelatedLists";
import { availableActions } from "./detail/Actions";
import { ACCOUNT, DEAL, RESOURCES, TICKET, field, resource } from "./test/fixtures";

// antd in jsdom on a busy two-core machine: the first test of a file also pays for the imports.
vi.setConfig({ testTimeout: 60_000 });

describe("the detail view", () => {
  it("shows the fields, related records by their reference filter, the timeline and the history", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/accounts/a1": { id: "a1", name: "Globex", owner_id: "u1" },
      "GET /api/v1/crm/tickets": { items: [{ id: "t1", subject: "Printer jammed", account_id: "a1", status: "open" }], next_cursor: null },
      "GET /api/v1/crm/accounts/a1/facts": [
        { label: "Overdue", value: "1,200.00 CNY", tone: "danger", record_type: "crm.deal", record_id: "d9", module: "accounting" },
        { label: "Receivable", value: "3,000.00 CNY", tone: "normal", record_type: null, record_id: null, module: "accounting" },
      ],
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
    // What other modules know of the account: cards above the fields, linking where they can.
    expect(await screen.findByText("Receivable")).toBeInTheDocument();
    expect(screen.getByText("3,000.00 CNY")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "1,200.00 CNY" })).toHaveAttribute("href", "/crm/deals/d9");
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

const CLAIM = resource({
  module: "oa",
  name: "oa.expense_claim",
  label: "Expense claim",
  endpoint: "/api/v1/oa/expenses/claims",
  title_field: "title",
  fields: [field("title", "Title"), field("status", "Status", { type: "enum", options: ["draft", "submitted", "approved", "paid"], read_only: true })],
  approvable: true,
  actions: [
    { name: "submit", label: "Submit", endpoint: "/api/v1/oa/expenses/claims/{id}/submit", when: [{ field: "status", values: ["draft"] }], confirm: null, danger: false, body_fields: [] },
    {
      name: "withdraw", label: "Withdraw", endpoint: "/api/v1/oa/expenses/claims/{id}/withdraw", when: [{ field: "status", values: ["submitted"] }],
      confirm: "Withdraw it back to draft?", danger: false, body_fields: [],
    },
    {
      name: "pay", label: "Mark paid", endpoint: "/api/v1/oa/expenses/claims/{id}/pay", when: [{ field: "status", values: ["approved"] }],
      confirm: null, danger: false, body_fields: [field("reference", "Payment reference", { required: true })],
    },
  ],
});

/** A claim whose status the fake server keeps, and moves when an action is posted. */
function claimServer(status: string, post: (call: Call) => unknown = () => null) {
  const state = { status };
  const moves: Record<string, string> = { submit: "submitted", withdraw: "draft", pay: "paid" };
  const calls = mockApi({
    "GET /api/v1/oa/expenses/claims/c1": () => ({ id: "c1", title: "Taxi to Globex", status: state.status }),
    "GET /api/v1/workflow/records/oa.expense_claim/c1/history": [],
    ...Object.fromEntries(
      Object.entries(moves).map(([name, next]) => [
        `POST /api/v1/oa/expenses/claims/c1/${name}`,
        (call: Call) => {
          const refused = post(call);
          if (refused instanceof Reply) return refused;
          state.status = next;
          return { id: "c1", title: "Taxi to Globex", status: next };
        },
      ]),
    ),
  });
  const fetched = () => calls.filter((c) => c.method === "GET" && c.path === "/api/v1/oa/expenses/claims/c1").length;
  return { calls, fetched };
}

describe("the detail view's actions", () => {
  it("offers the actions the record's status allows, posts one and shows the record again", async () => {
    const { calls, fetched } = claimServer("draft");
    renderAt(<DetailView resource={CLAIM} base="/oa/expenses/claims" id="c1" />, "/oa/expenses/claims/c1");
    const submit = await screen.findByRole("button", { name: "Submit" });
    expect(screen.queryByRole("button", { name: "Withdraw" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Mark paid" })).toBeNull();
    fireEvent.click(submit);
    // Withdrawing is what a submitted claim offers: the record was fetched again.
    expect(await screen.findByRole("button", { name: "Withdraw" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Submit" })).toBeNull();
    const post = calls.find((c) => c.method === "POST");
    expect([post?.path, post?.body]).toEqual(["/api/v1/oa/expenses/claims/c1/submit", undefined]);
    expect(fetched()).toBeGreaterThanOrEqual(2);
    expect(await screen.findByText("Submit: done")).toBeInTheDocument();
    // The claim submits by its own action, not by the generic approval submission.
    fireEvent.click(screen.getByRole("tab", { name: "Approvals" }));
    expect(await screen.findByText("This record has not been submitted for approval.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Submit for approval" })).toBeNull();
  });

  it("asks before an action with a question, and posts nothing when told to keep it", async () => {
    const { calls } = claimServer("submitted");
    renderAt(<DetailView resource={CLAIM} base="/oa/expenses/claims" id="c1" />, "/oa/expenses/claims/c1");
    fireEvent.click(await screen.findByRole("button", { name: "Withdraw" }));
    const question = await screen.findByText("Withdraw it back to draft?");
    const popup = question.closest(".ant-popover") as HTMLElement;
    fireEvent.click(within(popup).getByRole("button", { name: "Cancel" }));
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Withdraw" }));
    fireEvent.click(within(popup).getByRole("button", { name: "Withdraw" }));
    expect(await screen.findByRole("button", { name: "Submit" })).toBeInTheDocument();
    expect(calls.filter((c) => c.method === "POST").map((c) => c.path)).toEqual(["/api/v1/oa/expenses/claims/c1/withdraw"]);
  });

  it("takes an action's values in a small form and shows the server's refusal there", async () => {
    let refuse = true;
    const { calls } = claimServer("approved", () =>
      refuse ? new Reply(409, { status: 409, title: "Conflict", detail: "The claim is paid already." }) : null,
    );
    renderAt(<DetailView resource={CLAIM} base="/oa/expenses/claims" id="c1" />, "/oa/expenses/claims/c1");
    fireEvent.click(await screen.findByRole("button", { name: "Mark paid" }));
    const dialog = await screen.findByRole("dialog");
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark paid" }));
    expect(await within(dialog).findByText("Payment reference is required")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    fireEvent.change(within(dialog).getByLabelText("Payment reference"), { target: { value: "  T-42 " } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark paid" }));
    expect(await within(dialog).findByText("The claim is paid already.")).toBeInTheDocument();
    refuse = false;
    fireEvent.click(within(dialog).getByRole("button", { name: "Mark paid" }));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Mark paid" })).toBeNull());
    const posts = calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.body)).toEqual([{ reference: "T-42" }, { reference: "T-42" }]);
  });

  it("shows the server's refusal of an action without a form", async () => {
    claimServer("draft", () => new Reply(422, { status: 422, title: "Invalid", detail: "a claim needs at least one line" }));
    renderAt(<DetailView resource={CLAIM} base="/oa/expenses/claims" id="c1" />, "/oa/expenses/claims/c1");
    fireEvent.click(await screen.findByRole("button", { name: "Submit" }));
    expect(await screen.findByText("a claim needs at least one line")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Submit" })).toBeInTheDocument();
  });
});

describe("detail helpers", () => {
  it("keeps the actions whose every condition the record meets", () => {
    const names = (record: Record<string, unknown>) => availableActions(CLAIM, { id: "c1", ...record }).map((a) => a.name);
    expect(names({ status: "draft" })).toEqual(["submit"]);
    expect(names({ status: "approved" })).toEqual(["pay"]);
    expect(names({ status: "paid" })).toEqual([]);
    expect(names({})).toEqual([]);
  });

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
