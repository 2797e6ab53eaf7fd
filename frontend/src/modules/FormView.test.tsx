import { mockApi, renderAt, Reply } from "./test/harness";

import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import dayjs from "dayjs";
import { describe, expect, it, vi } from "vitest";

import FormView from "./FormView";
import { pickerScope, toApiBody, toFormValues } from "./formValues";
import { ACTIVITY, DEAL, RESOURCES } from "./test/fixtures";

// antd in jsdom on a busy two-core machine: the first test of a file also pays for the imports.
vi.setConfig({ testTimeout: 60_000 });

const STAGES = { items: [{ id: "s1", name: "Qualification", pipeline_id: "p1" }], next_cursor: null };
const DEAL_RECORD = {
  id: "d1", name: "Forklift fleet", account_id: "a1", pipeline_id: "p1", stage_id: "s1",
  amount: "1000.50", currency: "USD", expected_close: "2027-03-05", status: "open",
};

describe("the form view", () => {
  it("lays out the declared rows, marks required fields, and shows the API's field error at its field", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/stages": STAGES,
      "GET /api/v1/crm/pipelines": [{ id: "p1", name: "Sales" }],
      "GET /api/v1/crm/accounts": { items: [], next_cursor: null },
      "POST /api/v1/crm/deals": new Reply(422, {
        status: 422,
        title: "Invalid input",
        errors: [{ field: "amount", message: "must be from 0 to 9999999999999999.99" }],
      }),
    });
    renderAt(<FormView resource={DEAL} base="/crm/deals" />, "/crm/deals/new");
    expect(await screen.findByRole("heading", { level: 1, name: "New Deal" })).toBeInTheDocument();
    const labels = [...document.querySelectorAll(".ant-form-item-label label")].map((l) => l.textContent);
    expect(labels).toEqual(["Name", "Account", "Pipeline", "Stage", "Amount", "Currency", "Expected close"]);
    const required = [...document.querySelectorAll(".ant-form-item-required")].map((l) => l.textContent);
    expect(required).toEqual(["Name", "Amount", "Currency"]);

    await userEvent.type(screen.getByLabelText("Name"), "Forklift fleet");
    await userEvent.type(screen.getByLabelText("Amount"), "12");
    await userEvent.type(screen.getByLabelText("Currency"), "USD");
    fireEvent.click(screen.getByRole("button", { name: "Create" }));

    const message = await screen.findByText("must be from 0 to 9999999999999999.99");
    // The message sits in the Amount field's own item, not in a banner.
    expect(message.closest(".ant-form-item")?.querySelector("label")?.textContent).toBe("Amount");
    const posted = calls.find((c) => c.method === "POST");
    expect(posted?.body).toEqual({ name: "Forklift fleet", amount: "12", currency: "USD" });
  });

  it("says a required field is missing before asking the API", async () => {
    const calls = mockApi({ "GET /api/v1/crm/accounts": { items: [], next_cursor: null } });
    renderAt(<FormView resource={DEAL} base="/crm/deals" />, "/crm/deals/new");
    fireEvent.click(await screen.findByRole("button", { name: "Create" }));
    expect(await screen.findByText("Name is required")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
  });

  it("edits with PATCH of what changed; create-only fields are shown disabled", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/deals/d1": DEAL_RECORD,
      "GET /api/v1/crm/accounts/a1": { id: "a1", name: "Globex" },
      "GET /api/v1/crm/accounts": { items: [], next_cursor: null },
      "GET /api/v1/crm/stages": STAGES,
      "GET /api/v1/crm/pipelines": [{ id: "p1", name: "Sales" }],
      "PATCH /api/v1/crm/deals/d1": (call) => ({ ...DEAL_RECORD, ...(call.body as object) }),
    });
    renderAt(<FormView resource={DEAL} base="/crm/deals" id="d1" />, "/crm/deals/d1/edit");
    const name = await screen.findByLabelText("Name");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Change Forklift fleet");
    expect(screen.getByLabelText("Account")).toBeDisabled();
    await userEvent.clear(name);
    await userEvent.type(name, "Forklift fleet XL");
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ name: "Forklift fleet XL" });
  });

  it("picks a record of the type another field names, and starts over when that type changes", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/accounts": { items: [{ id: "a1", name: "Globex" }], next_cursor: null },
      "GET /api/v1/crm/tickets": { items: [], next_cursor: null },
      "POST /api/v1/crm/activities": (call) => ({ id: "x1", ...(call.body as object) }),
    });
    renderAt(<FormView resource={ACTIVITY} base="/crm/activities" />, "/crm/activities/new");
    const record = await screen.findByLabelText("Record");
    expect(record.closest(".ant-select")).toHaveClass("ant-select-disabled");
    await userEvent.type(screen.getByLabelText("Subject"), "Call back");
    await chooseOption("About a", "Account");
    await waitFor(() => expect(screen.getByRole("combobox", { name: "Record" })).toBeEnabled());
    await chooseOption("Record", "Globex");
    await chooseOption("About a", "Ticket");
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Record is required")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    await chooseOption("About a", "Account");
    await chooseOption("Record", "Globex");
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      subject: "Call back",
      record_type: "account",
      record_id: "a1",
    });
    // Many choices, each drawn by antd in jsdom: slow on a busy machine.
  }, 60_000);
});

async function chooseOption(field: string, option: string) {
  await userEvent.click(screen.getByRole("combobox", { name: field }));
  await userEvent.click(await screen.findByTitle(option));
}

describe("form values", () => {
  it("sends dates as days, amounts as exact decimals, and only changes on edit", () => {
    const values = { ...toFormValues(DEAL, DEAL_RECORD), amount: "1000.5", expected_close: dayjs("2027-04-01") };
    expect(toApiBody(DEAL, values, DEAL_RECORD)).toEqual({ expected_close: "2027-04-01" });
    expect(toApiBody(DEAL, { name: " New ", amount: "5", currency: "EUR", account_id: null })).toEqual({
      name: "New",
      amount: "5",
      currency: "EUR",
    });
  });

  it("scopes a picker by the form's other references: the stages of the chosen pipeline", () => {
    const stage = DEAL.fields.find((f) => f.name === "stage_id")!;
    expect(pickerScope(DEAL, stage, { pipeline_id: "p1" }, RESOURCES)).toEqual({
      scope: { pipeline_id: "p1" },
      dependsOn: ["pipeline_id"],
    });
  });
});
