import { mockApi, renderAt, Reply } from "./test/harness";

import { createEvent, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { boardColumns, boardScope, moveCard } from "./kanban";
import KanbanView from "./KanbanView";
import { DEAL, PIPELINE, STAGE, TICKET } from "./test/fixtures";

vi.setConfig({ testTimeout: 20_000 });

const STAGES = {
  items: [
    { id: "s1", name: "Qualification", pipeline_id: "p1" },
    { id: "s2", name: "Proposal", pipeline_id: "p1" },
  ],
  next_cursor: null,
};

function deals(call: { query: URLSearchParams }) {
  const stage = call.query.get("stage_id");
  return {
    items: stage === "s1" ? [{ id: "d1", name: "Forklift fleet", stage_id: "s1", amount: "10", currency: "USD", status: "open" }] : [],
    next_cursor: null,
  };
}

function drag(card: HTMLElement, column: HTMLElement) {
  const data = { setData: () => undefined, effectAllowed: "" };
  fireEvent(card, Object.assign(createEvent.dragStart(card), { dataTransfer: data }));
  fireEvent.dragOver(column);
  fireEvent.drop(column);
}

describe("board columns", () => {
  it("are an enum's options", () => {
    const status = TICKET.fields.find((f) => f.name === "status")!;
    expect(boardColumns(status, undefined, undefined)).toEqual([
      { key: "open", title: "Open" },
      { key: "in_progress", title: "In progress" },
      { key: "closed", title: "Closed" },
    ]);
  });

  it("are the referenced resource's records, in list order, scoped by a shared reference", () => {
    const stage = DEAL.fields.find((f) => f.name === "stage_id")!;
    expect(boardColumns(stage, STAGE, STAGES.items)).toEqual([
      { key: "s1", title: "Qualification" },
      { key: "s2", title: "Proposal" },
    ]);
    expect(boardScope(DEAL, STAGE)).toMatchObject({ field: { name: "pipeline_id" }, cardParam: "pipeline_id", columnParam: "pipeline_id" });
    expect(boardScope(DEAL, PIPELINE)).toBeUndefined();
  });

  it("move a card to the front of its new column", () => {
    const card = { id: "d1", stage_id: "s1" };
    const board = { cards: { s1: [card], s2: [{ id: "d2", stage_id: "s2" }] }, more: {} };
    expect(moveCard(board, card, "s1", "s2", "stage_id").cards).toEqual({ s1: [], s2: [{ id: "d1", stage_id: "s2" }, { id: "d2", stage_id: "s2" }] });
  });
});

describe("the board", () => {
  it("drops a card on another column: a PATCH of the field with the column's value", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/pipelines": [{ id: "p1", name: "Sales" }],
      "GET /api/v1/crm/stages": STAGES,
      "GET /api/v1/crm/deals": deals,
      "PATCH /api/v1/crm/deals/d1": { id: "d1", name: "Forklift fleet", stage_id: "s2" },
    });
    renderAt(<KanbanView resource={DEAL} base="/crm/deals" />, "/crm/deals/board");
    const column = await screen.findByRole("listitem", { name: "Qualification" });
    const card = (await within(column).findByRole("link", { name: "Forklift fleet" })).closest("[data-card]") as HTMLElement;
    // The board is one pipeline's: its stages and its deals.
    expect(calls.find((c) => c.path === "/api/v1/crm/stages")?.query.get("pipeline_id")).toBe("p1");
    drag(card, screen.getByRole("listitem", { name: "Proposal" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ stage_id: "s2" });
    // Optimistic: the card is in the new column at once.
    expect(within(screen.getByRole("listitem", { name: "Proposal" })).getByText("Forklift fleet")).toBeInTheDocument();
  });

  it("puts the card back and says why when the server refuses", async () => {
    mockApi({
      "GET /api/v1/crm/tickets": (call: { query: URLSearchParams }) => ({
        items: call.query.get("status") === "open" ? [{ id: "t1", subject: "Printer jammed", status: "open" }] : [],
        next_cursor: null,
      }),
      "PATCH /api/v1/crm/tickets/t1": new Reply(409, { status: 409, detail: "The ticket is closed already." }),
    });
    renderAt(<KanbanView resource={TICKET} base="/crm/tickets" />, "/crm/tickets/board");
    const open = await screen.findByRole("listitem", { name: "Open" });
    const card = (await within(open).findByText("Printer jammed")).closest("[data-card]") as HTMLElement;
    drag(card, screen.getByRole("listitem", { name: "Closed" }));
    expect(await screen.findByText(/Printer jammed could not be moved: The ticket is closed already./)).toBeInTheDocument();
    await waitFor(() => expect(within(screen.getByRole("listitem", { name: "Open" })).getByText("Printer jammed")).toBeInTheDocument());
  });
});
