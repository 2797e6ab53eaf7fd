import {
  cleanup,
  configure,
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import { ApiError } from "../../../api/client";
import { DefinitionEditor } from "./DefinitionEditor";
import {
  formPathOf,
  isEditorField,
  stepFromForm,
  type DefinitionForm,
  type RecordTypeOut,
} from "./steps";

afterEach(cleanup);
// antd is slow to render in jsdom on a busy machine: wait longer than the 1 s default.
configure({ asyncUtilTimeout: 5000 });

const CLAIM: RecordTypeOut = {
  record_type: "expenses.claim",
  module: "expenses",
  label: "Expense claim",
  fields: [
    { name: "amount", type: "number" },
    { name: "department", type: "string" },
  ],
};
const INITIAL: DefinitionForm = {
  recordType: "expenses.claim",
  name: "Claim approval",
  guardedFields: ["amount"],
  steps: [
    { name: "Manager", approvers: "manager", users: [], mode: "any", limitUnit: "hours" },
    {
      name: "Finance",
      approvers: "role",
      role: "admin",
      users: [],
      mode: "any",
      condition: "amount > 10000",
      limitUnit: "hours",
    },
  ],
};

function editor(onSubmit: (body: unknown) => Promise<unknown>) {
  render(
    <DefinitionEditor
      isNew={false}
      initial={INITIAL}
      recordTypes={[CLAIM]}
      people={[{ value: "user-1", label: "Ada (ada@example.com)" }]}
      roles={[{ value: "admin", label: "Administrator" }]}
      onSubmit={onSubmit}
      onCancel={() => {}}
    />,
  );
}

const stepCard = (n: number) =>
  screen.getByRole("heading", { name: `Step ${n}` }).closest(".ant-card") as HTMLElement;

// antd forms in jsdom are slow on a busy two-core machine.
describe("workflow step editor", { timeout: 30_000 }, () => {
  it("shows the server's refusal at the field it names", async () => {
    const onSubmit = vi.fn().mockRejectedValue(
      new ApiError({
        status: 422,
        detail: "steps[1].condition: unknown field 'amout'",
        errors: [
          { field: "steps[1].condition", message: "unknown field 'amout' at 1" },
          { field: "steps[0].time_limit_hours", message: "must be from 1 to 8760" },
        ],
      }),
    );
    editor(onSubmit);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(await within(stepCard(2)).findByText("unknown field 'amout' at 1")).toBeInTheDocument();
    // time_limit_hours is the step's one time-limit field in the editor.
    expect(within(stepCard(1)).getByText("must be from 1 to 8760")).toBeInTheDocument();
    expect(within(stepCard(1)).queryByText(/amout/)).toBeNull();
    expect(screen.getByRole("alert")).toHaveTextContent("Some fields need fixing");
  });

  it("shows a refusal that names no field above the form", async () => {
    const onSubmit = vi
      .fn()
      .mockRejectedValue(
        new ApiError({ status: 409, detail: "The workflow 'Other' is already active." }),
      );
    editor(onSubmit);
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("already active");
  });

  it("checks required fields before sending, and sends the steps as the API takes them", async () => {
    const onSubmit = vi.fn().mockResolvedValue(undefined);
    editor(onSubmit);
    fireEvent.change(within(stepCard(1)).getByLabelText("Step name"), { target: { value: " " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await within(stepCard(1)).findByText("Name the step")).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();

    fireEvent.change(within(stepCard(1)).getByLabelText("Step name"), {
      target: { value: "Line manager" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({
      name: "Claim approval",
      guarded_fields: ["amount"],
      steps: [
        {
          name: "Line manager",
          approvers: "manager",
          users: [],
          role: null,
          mode: "any",
          condition: null,
          time_limit_hours: null,
          time_limit_minutes: null,
          escalate_to: null,
        },
        {
          name: "Finance",
          approvers: "role",
          users: [],
          role: "admin",
          mode: "any",
          condition: "amount > 10000",
          time_limit_hours: null,
          time_limit_minutes: null,
          escalate_to: null,
        },
      ],
    });
  });

  it("lists the fields a condition can use, with their types", () => {
    editor(vi.fn());
    expect(
      within(stepCard(2)).getByText(/Fields: amount \(number\), department \(text\)/),
    ).toBeInTheDocument();
  });
});

describe("step mapping", () => {
  it("maps API field paths to the editor's fields", () => {
    expect(formPathOf("steps[2].time_limit_minutes")).toEqual(["steps", 2, "limit"]);
    expect(formPathOf("steps[0].users[3]")).toEqual(["steps", 0, "users"]);
    expect(formPathOf("guarded_fields[1]")).toEqual(["guardedFields"]);
    expect(isEditorField(formPathOf("steps[0].escalate_to"))).toBe(true);
    expect(isEditorField(formPathOf("steps"))).toBe(false);
  });

  it("sends only the fields the kind of approver uses, and the limit in its unit", () => {
    expect(
      stepFromForm({
        name: "Board",
        approvers: "users",
        users: ["u1", "u2"],
        role: "admin",
        mode: "all",
        limit: 30,
        limitUnit: "minutes",
        escalateTo: "manager",
      }),
    ).toEqual({
      name: "Board",
      approvers: "users",
      users: ["u1", "u2"],
      role: null,
      mode: "all",
      condition: null,
      time_limit_hours: null,
      time_limit_minutes: 30,
      escalate_to: "manager",
    });
  });
});
