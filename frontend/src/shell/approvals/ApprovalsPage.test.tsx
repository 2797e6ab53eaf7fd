import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("../testing/fetchMock")).installFetchMock());

import { ok, problem } from "../testing/fetchMock";
import { renderPage, sampleMe } from "../testing/render";
import ApprovalsPage from "./ApprovalsPage";

const TASK = {
  id: "task-1",
  instance_id: "instance-1",
  step_index: 0,
  step_name: "Sales manager",
  assignee_user_id: "u-ann",
  status: "pending",
  due_at: null,
  acted_at: null,
  comment: null,
  replaces_id: null,
  created_at: new Date(Date.now() - 5 * 60_000).toISOString(),
};

const DEAL_RESOURCE = {
  module: "crm",
  name: "crm.deal",
  label: "Deal",
  endpoint: "/api/v1/crm/deals",
  fields: [
    { name: "name", label: "Name", type: "text", required: true, read_only: false, options: [], reference: null },
    { name: "account_id", label: "Account", type: "reference", required: false, read_only: false, options: [], reference: "crm.account" },
    { name: "amount", label: "Amount", type: "money", required: true, read_only: false, options: [], reference: null },
    { name: "currency", label: "Currency", type: "text", required: true, read_only: false, options: [], reference: null },
    { name: "discount", label: "Discount (%)", type: "number", required: false, read_only: false, options: [], reference: null },
  ],
  list_columns: ["name", "amount"],
  filters: [],
  form: [["name"], ["account_id"], ["amount", "currency", "discount"]],
  title_field: "name",
  kanban_by: null,
  calendar_by: null,
  can_write: true,
};

const INBOX_ITEM = {
  task: TASK,
  record_type: "crm.deal",
  record_id: "deal-1",
  requester_user_id: "u-bob",
  instance_id: "instance-1",
  title: "Umbrella vaccine fridge",
  record_label: "Deal",
  step_name: "Sales manager",
  submitted_at: TASK.created_at,
};

const APPROVAL = {
  id: "instance-1",
  record_type: "crm.deal",
  record_id: "deal-1",
  record_label: "Deal",
  title: "Umbrella vaccine fridge",
  status: "pending",
  current_step: 0,
  requester_user_id: "u-bob",
  created_at: TASK.created_at,
  finished_at: null,
};

const DETAIL = {
  instance: {
    id: "instance-1",
    definition_id: "def-1",
    version: 1,
    record_type: "crm.deal",
    record_id: "deal-1",
    requester_user_id: "u-bob",
    status: "pending",
    current_step: 0,
    created_at: TASK.created_at,
    finished_at: null,
    tasks: [TASK],
  },
  title: "Umbrella vaccine fridge",
  record_label: "Deal",
  summary: [{ name: "amount", value: "48000.00" }],
  actions: [
    { id: "a-1", action: "submitted", actor_user_id: "u-bob", task_id: null, step_index: null, comment: null, created_at: TASK.created_at, attachments: [] },
    {
      id: "a-2",
      action: "commented",
      actor_user_id: "u-bob",
      task_id: "task-1",
      step_index: 0,
      comment: "Quote attached",
      created_at: TASK.created_at,
      attachments: [{ id: "file-1", filename: "quote.pdf", content_type: "application/pdf", size: 1234 }],
    },
  ],
};

let inbox: unknown[];

beforeEach(() => {
  inbox = [INBOX_ITEM];
  fake.answer({
    "GET /api/v1/me": ok(sampleMe({ permissions: { "identity.member.read": "all" } })),
    "GET /api/v1/workflow/inbox": () => ok({ items: inbox, next_cursor: null }),
    "GET /api/v1/ui/resources": ok([DEAL_RESOURCE]),
    "GET /api/v1/ui/menus": ok([{ module: "crm", label: "Deals", path: "/crm/deals", icon: "handshake", order: 23, resource: "crm.deal", dashboard: null }]),
    "GET /api/v1/members": ok({
      items: [{ id: "m-bob", user_id: "u-bob", email: "bob@example.com", name: "Bob Porter", role: "member", manager_id: null, joined_at: TASK.created_at }],
      next_cursor: null,
    }),
    "GET /api/v1/crm/deals/deal-1": ok({ id: "deal-1", name: "Umbrella vaccine fridge", amount: "48000.00", currency: "USD", discount: "25", account_id: "a-1" }),
    "POST /api/v1/workflow/tasks/task-1/approve": () => {
      inbox = [];
      return ok({ id: "instance-1", status: "approved" });
    },
    "POST /api/v1/workflow/tasks/task-1/reject": () => {
      inbox = [];
      return ok({ id: "instance-1", status: "rejected" });
    },
    "GET /api/v1/workflow/instances/instance-1": ok(DETAIL),
  });
});

describe("My approvals", { timeout: 30_000 }, () => {
  it("shows what is asked, by whom, and the record's values", async () => {
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    const title = await screen.findByRole("link", { name: "Umbrella vaccine fridge" });
    await waitFor(() => expect(title).toHaveAttribute("href", "/crm/deals/deal-1"));
    expect(screen.getByText(/Step “Sales manager”, asked by Bob Porter/)).toBeInTheDocument();
    expect(screen.getByText("5 minutes ago")).toBeInTheDocument();
    expect(await screen.findByText("$48,000.00")).toBeInTheDocument();
    expect(screen.getByText("Discount (%)")).toBeInTheDocument();
    expect(screen.getByText("25")).toBeInTheDocument();
  });

  it("approves in two clicks, with the comment, and the request leaves the list", async () => {
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    await screen.findByRole("link", { name: "Umbrella vaccine fridge" });

    await user.click(screen.getByRole("button", { name: "Approve" }));
    const confirm = await screen.findByRole("tooltip");
    expect(within(confirm).getByText("Approve this request?")).toBeInTheDocument();
    await user.type(within(confirm).getByLabelText("Comment (optional)"), "Go ahead");
    await user.click(within(confirm).getByRole("button", { name: "Approve" }));

    expect(await screen.findByText("Approved.")).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/workflow/tasks/task-1/approve").map((c) => c.body)).toEqual([{ comment: "Go ahead" }]);
    expect(await screen.findByText("Nothing is waiting for your approval.")).toBeInTheDocument();
  });

  it("rejects without a comment", async () => {
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    await screen.findByRole("link", { name: "Umbrella vaccine fridge" });
    await user.click(screen.getByRole("button", { name: "Reject" }));
    const confirm = await screen.findByRole("tooltip");
    await user.click(within(confirm).getByRole("button", { name: "Reject" }));
    expect(await screen.findByText("Rejected.")).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/workflow/tasks/task-1/reject").map((c) => c.body)).toEqual([null]);
    expect(fake.callsTo("POST /api/v1/workflow/tasks/task-1/approve")).toEqual([]);
  });

  it("says so when someone else decided first", async () => {
    inbox = [INBOX_ITEM];
    fake.answer({
      "GET /api/v1/me": ok(sampleMe()),
      "GET /api/v1/workflow/inbox": () => ok({ items: inbox, next_cursor: null }),
      "GET /api/v1/ui/resources": ok([DEAL_RESOURCE]),
      "GET /api/v1/ui/menus": ok([]),
      "GET /api/v1/crm/deals/deal-1": ok({ id: "deal-1", name: "Umbrella vaccine fridge", amount: "48000.00", currency: "USD" }),
      "POST /api/v1/workflow/tasks/task-1/approve": problem(409, "This task is not pending."),
    });
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    await screen.findByText("Umbrella vaccine fridge");
    await user.click(screen.getByRole("button", { name: "Approve" }));
    const confirm = await screen.findByRole("tooltip");
    await user.click(within(confirm).getByRole("button", { name: "Approve" }));
    expect(await screen.findByText(/no longer waiting for you/)).toBeInTheDocument();
  });

  it("keeps the confirmation and its comment when deciding fails, for another try", async () => {
    fake.answer({
      "GET /api/v1/me": ok(sampleMe()),
      "GET /api/v1/workflow/inbox": () => ok({ items: inbox, next_cursor: null }),
      "GET /api/v1/ui/resources": ok([DEAL_RESOURCE]),
      "GET /api/v1/ui/menus": ok([]),
      "GET /api/v1/crm/deals/deal-1": ok({ id: "deal-1", name: "Umbrella vaccine fridge", amount: "48000.00", currency: "USD" }),
      "POST /api/v1/workflow/tasks/task-1/approve": problem(503, "The database is busy. Try again."),
    });
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    await screen.findByText("Umbrella vaccine fridge");
    await user.click(screen.getByRole("button", { name: "Approve" }));
    const confirm = await screen.findByRole("tooltip");
    await user.type(within(confirm).getByLabelText("Comment (optional)"), "Go ahead");
    await user.click(within(confirm).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(fake.callsTo("POST /api/v1/workflow/tasks/task-1/approve")).toHaveLength(1));
    await waitFor(() => expect(within(confirm).getByRole("button", { name: "Approve" })).toBeEnabled());
    expect(screen.getByRole("tooltip")).toBeVisible();
    expect(within(screen.getByRole("tooltip")).getByLabelText("Comment (optional)")).toHaveValue("Go ahead");
  });

  it("brings the request a notification links to into view and opens it in full", async () => {
    renderPage(<ApprovalsPage />, { path: "/approvals/instance-1", route: "/approvals/:instanceId" });
    const title = await screen.findByRole("link", { name: "Umbrella vaccine fridge" });
    await waitFor(() => expect(title.closest(".approval")).toHaveClass("highlighted"));
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByText("Quote attached")).toBeInTheDocument();
  });

  it("says so when the linked approval cannot be read", async () => {
    renderPage(<ApprovalsPage />, { path: "/approvals/instance-9", route: "/approvals/:instanceId" });
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByText(/was not found/)).toBeInTheDocument();
  });

  it("has an empty state with a way on", async () => {
    inbox = [];
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    expect(await screen.findByText("Nothing is waiting for your approval.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Go to the start page" })).toHaveAttribute("href", "/");
  });
});
