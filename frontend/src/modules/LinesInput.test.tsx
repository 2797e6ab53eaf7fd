import { mockApi, renderAt, Reply } from "./test/harness";

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import DetailView from "./DetailView";
import FormView from "./FormView";
import { field, resource, RESOURCES } from "./test/fixtures";

vi.setConfig({ testTimeout: 120_000 });

const BILL = resource({
  module: "expenses",
  name: "expenses.bill",
  label: "Bill",
  endpoint: "/api/v1/expenses/bills",
  title_field: "supplier",
  fields: [
    field("supplier", "Supplier", { required: true }),
    field("currency", "Currency", { required: true }),
    field("lines", "Lines", {
      type: "lines",
      required: true,
      line_fields: [
        field("description", "Description"),
        field("category", "Category", { type: "enum", options: ["travel", "meals"] }),
        field("quantity", "Quantity", { type: "number", required: true }),
        field("unit_price", "Unit price", { type: "money", required: true }),
        field("discount", "Discount %", { type: "number" }),
        field("amount", "Amount", { type: "money", read_only: true }),
      ],
      line_amount: ["quantity", "unit_price", "discount"],
    }),
    field("total", "Total", { type: "money", read_only: true }),
  ],
  list_columns: ["supplier", "total", "lines"],
  form: [["supplier", "currency"], ["lines"]],
});

const SAVED = {
  id: "b1",
  supplier: "Acme",
  currency: "USD",
  total: "69.17",
  lines: [
    { description: "Train", category: "travel", quantity: "3.000", unit_price: "19.99", discount: "10.00", amount: "53.97" },
    { description: "Lunch", category: "meals", quantity: "1.500", unit_price: "10.00", discount: "0.00", amount: "15.00" },
    { description: "Pens", category: null, quantity: "2.000", unit_price: "0.10", discount: "0.00", amount: "0.20" },
  ],
};

function api(routes: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({ "GET /api/v1/ui/resources": [...RESOURCES, BILL], ...routes });
}

/** Types into an input at once (typing key by key is slow in jsdom, and the editor reacts the same). */
function enter(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function fillLine(number: number, values: { quantity: string; price: string; discount?: string; description?: string }) {
  if (values.description) enter(`Description (line ${number})`, values.description);
  enter(`Quantity (line ${number})`, values.quantity);
  enter(`Unit price (line ${number})`, values.price);
  if (values.discount) enter(`Discount % (line ${number})`, values.discount);
}

describe("the line editor", () => {
  it("adds lines, shows each line's amount and the total as they are typed, and sends money as text", async () => {
    const calls = api({ "POST /api/v1/expenses/bills": SAVED, "GET /api/v1/expenses/bills/b1": SAVED });
    renderAt(<FormView resource={BILL} base="/expenses/bills" />, "/expenses/bills/new");
    await userEvent.type(await screen.findByLabelText("Supplier"), "Acme");
    enter("Currency", "USD");
    // Read-only line fields are the server's: the editor has no column for them.
    const table = screen.getByRole("table");
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "#", "Description", "Category", "Quantity", "Unit price", "Discount %", "Amount", "Line actions",
    ]);
    const add = screen.getByRole("button", { name: "Add a line" });
    for (let i = 0; i < 3; i += 1) fireEvent.click(add);
    fillLine(1, { description: "Train", quantity: "3", price: "19.99", discount: "10" });
    fillLine(2, { description: "Lunch", quantity: "1.5", price: "10" });
    fillLine(3, { description: "Pens", quantity: "2", price: "0.10" });
    await waitFor(() => expect(screen.getByRole("status", { name: "Total" })).toHaveTextContent("$69.17"));
    const rows = within(table).getAllByRole("row");
    expect(within(rows[1]!).getByText("$53.97")).toBeInTheDocument();
    expect(within(rows[3]!).getByText("$0.20")).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      supplier: "Acme",
      currency: "USD",
      lines: [
        { description: "Train", quantity: 3, unit_price: "19.99", discount: 10 },
        { description: "Lunch", quantity: 1.5, unit_price: "10" },
        // Text, as the input normalises it: never a float.
        { description: "Pens", quantity: 2, unit_price: "0.1" },
      ],
    });
  });

  it("moves and removes lines, the total following", async () => {
    const calls = api({ "POST /api/v1/expenses/bills": SAVED, "GET /api/v1/expenses/bills/b1": SAVED });
    renderAt(<FormView resource={BILL} base="/expenses/bills" />, "/expenses/bills/new");
    await userEvent.type(await screen.findByLabelText("Supplier"), "Acme");
    enter("Currency", "USD");
    const add = screen.getByRole("button", { name: "Add a line" });
    fireEvent.click(add);
    fireEvent.click(add);
    fillLine(1, { description: "First", quantity: "1", price: "5" });
    fillLine(2, { description: "Second", quantity: "1", price: "7" });
    await waitFor(() => expect(screen.getByRole("status", { name: "Total" })).toHaveTextContent("$12.00"));
    fireEvent.click(screen.getByRole("button", { name: "Move line 2 up" }));
    await waitFor(() => expect(screen.getByLabelText("Description (line 1)")).toHaveValue("Second"));
    expect(screen.getByRole("button", { name: "Move line 1 up" })).toBeDisabled();
    fireEvent.click(screen.getByRole("button", { name: "Remove line 2" }));
    await waitFor(() => expect(screen.getByRole("status", { name: "Total" })).toHaveTextContent("$7.00"));
    expect(screen.queryByLabelText("Description (line 2)")).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect((calls.find((c) => c.method === "POST")?.body as { lines: unknown[] }).lines).toEqual([
      { description: "Second", quantity: 1, unit_price: "7" },
    ]);
  });

  it("asks for a line and for each line's required values before sending", async () => {
    const calls = api();
    renderAt(<FormView resource={BILL} base="/expenses/bills" />, "/expenses/bills/new");
    await userEvent.type(await screen.findByLabelText("Supplier"), "Acme");
    enter("Currency", "USD");
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Add at least one line")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Add a line" }));
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Quantity is required")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("shows the API's errors on the cells they name, and a line's other errors on the lines", async () => {
    api({
      "POST /api/v1/expenses/bills": new Reply(422, {
        status: 422,
        title: "Invalid input",
        errors: [
          { field: "lines[1].quantity", message: "must be more than 0" },
          { field: "lines[0]", message: "Object contains unknown field `colour`" },
        ],
      }),
    });
    renderAt(<FormView resource={BILL} base="/expenses/bills" />, "/expenses/bills/new");
    await userEvent.type(await screen.findByLabelText("Supplier"), "Acme");
    enter("Currency", "USD");
    fireEvent.click(screen.getByRole("button", { name: "Add a line" }));
    fireEvent.click(screen.getByRole("button", { name: "Add a line" }));
    fillLine(1, { quantity: "1", price: "1" });
    fillLine(2, { quantity: "0", price: "1" });
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    const message = await screen.findByText("must be more than 0");
    // In the second line's quantity cell, not a banner.
    expect(message.closest(".ant-form-item")?.querySelector("input")).toHaveAccessibleName("Quantity (line 2)");
    expect(await screen.findByText("Line 1: Object contains unknown field `colour`")).toBeInTheDocument();
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("edits a record's lines and sends them whole only when they changed", async () => {
    const calls = api({
      "GET /api/v1/expenses/bills/b1": SAVED,
      "PATCH /api/v1/expenses/bills/b1": (call) => ({ ...SAVED, ...(call.body as object) }),
    });
    renderAt(<FormView resource={BILL} base="/expenses/bills" id="b1" />, "/expenses/bills/b1/edit");
    expect(await screen.findByLabelText("Description (line 3)")).toHaveValue("Pens");
    await waitFor(() => expect(screen.getByRole("status", { name: "Total" })).toHaveTextContent("$69.17"));
    await userEvent.clear(screen.getByLabelText("Supplier"));
    await userEvent.type(screen.getByLabelText("Supplier"), "Acme Ltd");
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.filter((c) => c.method === "PATCH")).toHaveLength(1));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ supplier: "Acme Ltd" });
  });
});

describe("a record's lines on its page", () => {
  it("are a read-only table of every line field, as the server gave them", async () => {
    api({ "GET /api/v1/expenses/bills/b1": SAVED });
    renderAt(<DetailView resource={BILL} base="/expenses/bills" id="b1" />, "/expenses/bills/b1");
    const section = await screen.findByRole("region", { name: "Lines" });
    const table = within(section).getByRole("table");
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "#", "Description", "Category", "Quantity", "Unit price", "Discount %", "Amount",
    ]);
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell").map((c) => c.textContent))).toEqual([
      ["1", "Train", "Travel", "3", "$19.99", "10", "$53.97"],
      ["2", "Lunch", "Meals", "1.5", "$10.00", "0", "$15.00"],
      ["3", "Pens", "—", "2", "$0.10", "0", "$0.20"],
    ]);
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });
});
