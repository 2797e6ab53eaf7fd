import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

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

/** XMLHttpRequest answering each upload with the next stored file; what was sent is recorded. */
function fakeUploads(stored: { id: string; filename: string }[]) {
  const sent: { url: string; file: File | null }[] = [];
  class FakeXhr {
    status = 0;
    responseText = "";
    withCredentials = false;
    upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private url = "";
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader() {}
    abort() {
      this.onabort?.();
    }
    send(body: FormData) {
      sent.push({ url: this.url, file: body.get("file") as File | null });
      const answer = stored[sent.length - 1];
      setTimeout(() => {
        this.status = 201;
        this.responseText = JSON.stringify({ ...answer, content_type: "application/pdf", size: 8 });
        this.onload?.();
      }, 10);
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the approval centre", { timeout: 30_000 }, () => {
  it("lists my decisions on the Done tab", async () => {
    fake.answer({
      "GET /api/v1/me": ok(sampleMe()),
      "GET /api/v1/ui/resources": ok([DEAL_RESOURCE]),
      "GET /api/v1/workflow/done": ok({
        items: [{ task: { ...TASK, status: "approved", acted_at: TASK.created_at }, approval: { ...APPROVAL, status: "approved" } }],
        next_cursor: null,
      }),
    });
    renderPage(<ApprovalsPage />, { path: "/approvals?tab=done", route: "/approvals" });
    const list = await screen.findByRole("region", { name: "Done" });
    expect(within(list).getByRole("button", { name: "Umbrella vaccine fridge" })).toBeInTheDocument();
    expect(within(list).getAllByText("Approved")).toHaveLength(2);
    expect(screen.getByRole("tab", { name: "Done" })).toHaveAttribute("aria-selected", "true");
  });

  it("lists what I was copied on", async () => {
    fake.answer({
      "GET /api/v1/me": ok(sampleMe()),
      "GET /api/v1/ui/resources": ok([DEAL_RESOURCE]),
      "GET /api/v1/workflow/copied": ok({ items: [{ approval: APPROVAL, step_index: 0, copied_at: TASK.created_at }], next_cursor: null }),
    });
    renderPage(<ApprovalsPage />, { path: "/approvals?tab=copied", route: "/approvals" });
    const list = await screen.findByRole("region", { name: "Copied to me" });
    expect(within(list).getByRole("button", { name: "Umbrella vaccine fridge" })).toBeInTheDocument();
    expect(within(list).getByText("Pending")).toBeInTheDocument();
  });

  it("lists my requests, filters them by status, and says why a withdrawal was refused", async () => {
    fake.answer({
      "GET /api/v1/me": ok(sampleMe()),
      "GET /api/v1/ui/resources": ok([DEAL_RESOURCE]),
      "GET /api/v1/workflow/submissions": (request) =>
        ok({ items: request.url.searchParams.get("status") === "approved" ? [] : [APPROVAL], next_cursor: null }),
      "POST /api/v1/workflow/instances/instance-1/cancel": problem(409, "Someone has already decided on this request."),
    });
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals", route: "/approvals" });
    await user.click(await screen.findByRole("tab", { name: "My requests" }));
    const list = await screen.findByRole("region", { name: "My requests" });
    await user.click(within(list).getByRole("button", { name: "Withdraw Umbrella vaccine fridge" }));
    const confirm = await screen.findByRole("tooltip");
    expect(within(confirm).getByText("Withdraw this request?")).toBeInTheDocument();
    await user.click(within(confirm).getByRole("button", { name: "Withdraw" }));
    expect(await screen.findByText("Someone has already decided on this request.")).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/workflow/instances/instance-1/cancel")).toHaveLength(1);

    await user.click(screen.getByRole("combobox", { name: "Status" }));
    await user.click(await screen.findByTitle("Approved"));
    expect(await screen.findByText("You have not asked for any approval.")).toBeInTheDocument();
    expect(fake.callsTo("GET /api/v1/workflow/submissions").map((c) => c.url.searchParams.get("status"))).toContain("approved");
  });

  it("shows one approval in full: summary, steps and the history with its files", async () => {
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals", route: "/approvals", extraRoutes: [{ path: "/approvals/:instanceId", element: <ApprovalsPage /> }] });
    await user.click(await screen.findByRole("button", { name: "Details of Umbrella vaccine fridge" }));
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByText("Quote attached")).toBeInTheDocument();
    expect(within(drawer).getByRole("link", { name: "quote.pdf" })).toHaveAttribute("href", "/api/v1/workflow/instances/instance-1/attachments/file-1");
    expect(within(drawer).getByRole("link", { name: "Open the record" })).toHaveAttribute("href", "/records/crm.deal/deal-1");
    expect(within(drawer).getByText("Amount")).toBeInTheDocument();
    expect(within(drawer).getByText("Sales manager")).toBeInTheDocument();
    // Ann's own open task: she can decide from here.
    expect(within(drawer).getByRole("button", { name: "Approve" })).toBeInTheDocument();
  });

  it("sends the files attached to a decision by their ids", async () => {
    const sent = fakeUploads([{ id: "file-7", filename: "quote.pdf" }]);
    const user = userEvent.setup();
    renderPage(<ApprovalsPage />, { path: "/approvals" });
    await screen.findByRole("link", { name: "Umbrella vaccine fridge" });
    await user.click(screen.getByRole("button", { name: "Approve" }));
    const confirm = await screen.findByRole("tooltip");
    const input = confirm.querySelector<HTMLInputElement>("input[type=file]");
    await user.upload(input!, new File(["%PDF-1.4"], "quote.pdf", { type: "application/pdf" }));
    expect(await within(confirm).findByText("quote.pdf")).toBeInTheDocument();
    expect(sent.map((s) => s.url)).toEqual(["/api/v1/workflow/attachments"]);
    await user.click(within(confirm).getByRole("button", { name: "Approve" }));
    expect(await screen.findByText("Approved.")).toBeInTheDocument();
    expect(fake.callsTo("POST /api/v1/workflow/tasks/task-1/approve").map((c) => c.body)).toEqual([{ attachments: ["file-7"] }]);
  });
});
