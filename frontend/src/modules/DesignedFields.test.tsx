import { mockApi, renderAt, Reply } from "./test/harness";

import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import DetailView from "./DetailView";
import FormView from "./FormView";
import { errorPath, toApiFieldList, toApiValues } from "./designed";
import { field, resource, RESOURCES } from "./test/fixtures";

vi.setConfig({ testTimeout: 60_000 });

// A plugin's forms an admin designs, and entries made from one (OA's request forms and requests).
const FORMS = resource({
  module: "oa",
  name: "oa.request_form",
  label: "Request form",
  endpoint: "/api/v1/oa/request-forms",
  fields: [
    field("name", "Name", { required: true }),
    field("fields", "Fields", {
      type: "field_list",
      required: true,
      options: ["text", "amount", "select", "member", "file"],
      help: "What a request asks for.",
    }),
  ],
  form: [["name"], ["fields"]],
});
const REQUESTS = resource({
  module: "oa",
  name: "oa.request",
  label: "Request",
  endpoint: "/api/v1/oa/requests",
  title_field: "title",
  fields: [
    field("title", "Title", { read_only: true }),
    field("form_id", "Form", { type: "reference", reference: "oa.request_form", required: true, create_only: true }),
    field("values", "Details", {
      type: "values",
      schema_from: "form_id",
      schema_field: "fields",
      upload_endpoint: "/api/v1/oa/requests/files",
      download_endpoint: "/api/v1/oa/requests/{id}/files/{file}",
    }),
  ],
  form: [["form_id"], ["values"]],
});
const UI = [...RESOURCES, FORMS, REQUESTS];

const PURCHASE = {
  id: "f1",
  name: "Purchase",
  fields: [
    { key: "purpose", label: "Purpose", type: "text", required: true, options: null, max_length: null },
    { key: "cost", label: "Cost", type: "amount", required: true, options: null, max_length: null },
    { key: "kind", label: "Kind", type: "select", required: false, options: ["Hardware", "Software"], max_length: null },
    { key: "buddy", label: "Buddy", type: "member", required: false, options: null, max_length: null },
    { key: "quote", label: "Quote", type: "file", required: false, options: null, max_length: null },
  ],
};

function rowCard(number: number): HTMLElement {
  const title = screen.getByText(`Field ${number}`);
  return title.closest(".ant-card") as HTMLElement;
}

describe("a field list's editor", () => {
  it("adds, fills, reorders and removes rows, and sends them in the API's shape", async () => {
    const calls = mockApi({
      "GET /api/v1/ui/resources": UI,
      "POST /api/v1/oa/request-forms": new Reply(422, {
        status: 422,
        title: "Invalid input",
        errors: [{ field: "fields[1].key", message: "'cost' is the key of an earlier field" }],
      }),
    });
    renderAt(<FormView resource={FORMS} base="/oa/request-forms" />, "/oa/request-forms/new");
    await userEvent.type(await screen.findByLabelText("Name"), "Purchase");
    expect(screen.getByText("What a request asks for.")).toBeInTheDocument();

    // Nothing designed yet: the form says so before asking the API.
    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Add at least one field")).toBeInTheDocument();

    const add = screen.getByRole("button", { name: /Add a field/ });
    for (let i = 0; i < 3; i += 1) fireEvent.click(add);
    fireEvent.change(screen.getByLabelText("Key (Field 1)"), { target: { value: "purpose" } });
    fireEvent.change(screen.getByLabelText("Label (Field 1)"), { target: { value: "Purpose" } });
    fireEvent.click(screen.getByLabelText("Required (Field 1)"));
    fireEvent.change(screen.getByLabelText("Key (Field 2)"), { target: { value: "old" } });
    fireEvent.change(screen.getByLabelText("Label (Field 2)"), { target: { value: "Gone soon" } });
    fireEvent.change(screen.getByLabelText("Key (Field 3)"), { target: { value: "kind" } });
    fireEvent.change(screen.getByLabelText("Label (Field 3)"), { target: { value: "Kind" } });

    // The third becomes a choice: its options are asked for, as tags.
    expect(screen.queryByLabelText("Options (Field 3)")).toBeNull();
    fireEvent.mouseDown(within(rowCard(3)).getByLabelText("Type (Field 3)"));
    fireEvent.click(await screen.findByTitle("Choice"));
    const options = await screen.findByLabelText("Options (Field 3)");
    await userEvent.type(options, "Hardware{enter}Software{enter}");

    fireEvent.click(screen.getByRole("button", { name: "Remove field 2" }));
    fireEvent.click(screen.getByRole("button", { name: "Move field 2 up" }));
    fireEvent.click(screen.getByRole("button", { name: "Create" }));

    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "Purchase",
      fields: [
        { key: "kind", label: "Kind", type: "select", required: false, options: ["Hardware", "Software"], max_length: null },
        { key: "purpose", label: "Purpose", type: "text", required: true, options: null, max_length: null },
      ],
    });
    // The API's error names the second row's key: it shows there.
    const message = await screen.findByText("'cost' is the key of an earlier field");
    expect(rowCard(2)).toContainElement(message);
  });

  it("shows a record's field list as a table", async () => {
    mockApi({ "GET /api/v1/ui/resources": UI, "GET /api/v1/oa/request-forms/f1": PURCHASE });
    renderAt(<DetailView resource={FORMS} base="/oa/request-forms" id="f1" />, "/oa/request-forms/f1");
    const table = await screen.findByRole("region", { name: "Fields" });
    const rows = within(table).getAllByRole("row").map((row) => row.textContent);
    expect(rows[0]).toBe("KeyLabelTypeRequiredOptions");
    expect(rows[1]).toBe("purposePurposeTextYes");
    expect(rows[3]).toBe("kindKindChoiceNoHardwareSoftware");
  });
});

describe("a values field", () => {
  it("draws the chosen record's fields, says what is required, and puts the API's errors at their input", async () => {
    const calls = mockApi({
      "GET /api/v1/ui/resources": UI,
      "GET /api/v1/oa/request-forms": { items: [PURCHASE], next_cursor: null },
      "GET /api/v1/oa/request-forms/f1": PURCHASE,
      "POST /api/v1/oa/requests": new Reply(422, {
        status: 422,
        title: "Invalid input",
        errors: [{ field: "values.cost", message: "must be from 0 to 999999999999.99" }],
      }),
    });
    renderAt(<FormView resource={REQUESTS} base="/oa/requests" />, "/oa/requests/new?form_id=f1");
    const details = (await screen.findByText("Details")).closest(".ant-card") as HTMLElement;
    await within(details).findByLabelText("Purpose");
    const labels = [...details.querySelectorAll(".ant-form-item-label label")].map((l) => l.textContent);
    expect(labels).toEqual(["Purpose", "Cost", "Kind", "Buddy", "Quote"]);
    const required = [...details.querySelectorAll(".ant-form-item-required")].map((l) => l.textContent);
    expect(required).toEqual(["Purpose", "Cost"]);
    expect(within(details).getByRole("button", { name: "Quote" })).toHaveTextContent("Choose a file");

    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    expect(await screen.findByText("Purpose is required")).toBeInTheDocument();
    expect(calls.some((c) => c.method === "POST")).toBe(false);

    fireEvent.change(within(details).getByLabelText("Purpose"), { target: { value: " New laptop " } });
    fireEvent.change(within(details).getByLabelText("Cost"), { target: { value: "1200.5" } });
    fireEvent.blur(within(details).getByLabelText("Cost"));
    fireEvent.mouseDown(within(details).getByLabelText("Kind"));
    fireEvent.click(await screen.findByTitle("Software"));
    fireEvent.click(screen.getByRole("button", { name: "Create" }));

    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      form_id: "f1",
      values: { purpose: "New laptop", cost: "1200.5", kind: "Software" },
    });
    const message = await screen.findByText("must be from 0 to 999999999999.99");
    expect(message.closest(".ant-form-item")?.querySelector("label")?.textContent).toBe("Cost");
  });

  it("edits a draft's values: all of them are sent, the date as a calendar day", async () => {
    const TRIP = {
      id: "f2",
      name: "Trip",
      fields: [
        { key: "where", label: "Where", type: "text", required: true, options: null, max_length: null },
        { key: "day", label: "Day", type: "date", required: false, options: null, max_length: null },
      ],
    };
    const calls = mockApi({
      "GET /api/v1/ui/resources": UI,
      "GET /api/v1/oa/request-forms": { items: [TRIP], next_cursor: null },
      "GET /api/v1/oa/request-forms/f2": TRIP,
      "GET /api/v1/oa/requests/r2": { id: "r2", title: "Lyon", form_id: "f2", values: { where: "Lyon", day: "2027-03-01" } },
      "PATCH /api/v1/oa/requests/r2": (call) => ({ id: "r2", title: "Paris", form_id: "f2", ...(call.body as object) }),
    });
    renderAt(<FormView resource={REQUESTS} base="/oa/requests" id="r2" />, "/oa/requests/r2/edit");
    const where = await screen.findByLabelText("Where");
    expect(where).toHaveValue("Lyon");
    expect(screen.getByLabelText("Day")).toHaveValue("2027-03-01");
    fireEvent.change(where, { target: { value: "Paris" } });
    fireEvent.click(screen.getByRole("button", { name: "Save changes" }));
    await waitFor(() => expect(calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(calls.find((c) => c.method === "PATCH")?.body).toEqual({ values: { where: "Paris", day: "2027-03-01" } });
  });

  it("asks for the defining record first", async () => {
    mockApi({ "GET /api/v1/ui/resources": UI, "GET /api/v1/oa/request-forms": { items: [PURCHASE], next_cursor: null } });
    renderAt(<FormView resource={REQUESTS} base="/oa/requests" />, "/oa/requests/new");
    expect(await screen.findByText("Choose the Form first: its fields appear here.")).toBeInTheDocument();
  });

  it("shows the values on the record's page, labelled, in the form's order", async () => {
    mockApi({
      "GET /api/v1/ui/resources": UI,
      "GET /api/v1/oa/request-forms/f1": PURCHASE,
      "GET /api/v1/oa/requests/r1": {
        id: "r1",
        title: "New laptop",
        form_id: "f1",
        values: { quote: "file1", kind: "Software", cost: "1200.50", purpose: "New laptop", buddy: "u1" },
      },
    });
    renderAt(<DetailView resource={REQUESTS} base="/oa/requests" id="r1" />, "/oa/requests/r1");
    const section = await screen.findByRole("region", { name: "Details" });
    await within(section).findByText("Purpose");
    const labels = [...section.querySelectorAll(".ant-descriptions-item-label")].map((l) => l.textContent);
    expect(labels).toEqual(["Purpose", "Cost", "Kind", "Buddy", "Quote"]);
    expect(within(section).getByText("1,200.50")).toBeInTheDocument();
    expect(await within(section).findByText("Olivia Owner")).toBeInTheDocument();
    expect(within(section).getByRole("link", { name: "Download" })).toHaveAttribute(
      "href",
      "/api/v1/oa/requests/r1/files/file1",
    );
  });
});

describe("the designed fields' API shapes", () => {
  it("keeps options for choices only, leaves empty values out, and finds where an error belongs", () => {
    expect(toApiFieldList([{ key: " a ", label: "A", type: "text", options: ["x"] }])).toEqual([
      { key: "a", label: "A", type: "text", required: false, options: null, max_length: null },
    ]);
    expect(toApiValues({ a: " x ", b: "", c: null, d: [], e: false, f: 0 })).toEqual({ a: "x", e: false, f: 0 });
    const typeOf = (name: string) => ({ fields: "field_list", values: "values" })[name];
    expect(errorPath("fields[2].options[1]", typeOf)).toEqual(["fields", 2, "options"]);
    expect(errorPath("values.cost", typeOf)).toEqual(["values", "cost"]);
    expect(errorPath("name", typeOf)).toEqual(["name"]);
  });
});
