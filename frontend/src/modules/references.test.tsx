import { mockApi, renderAt } from "./test/harness";

import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { RecordLink, RecordPicker } from "./references";
import { ME } from "./test/fixtures";

vi.setConfig({ testTimeout: 20_000 });

const ROLES = {
  builtin: [],
  custom: [
    { id: "r1", name: "Finance", description: "", grants: [] },
    { id: "r2", name: "Deal desk", description: "", grants: [] },
  ],
};
const CAN_SEE_ROLES = { ...ME, permissions: { ...ME.permissions, "access.role.read": "all" } };

describe("a reference to a custom role", () => {
  it("is picked among the tenant's custom roles by name", async () => {
    const calls = mockApi({ "GET /api/v1/me": CAN_SEE_ROLES, "GET /api/v1/roles": ROLES });
    const chosen: (string | null)[] = [];
    renderAt(<RecordPicker reference="access.role" aria-label="Role" onChange={(v) => chosen.push(v)} />, "/");
    await userEvent.click(screen.getByRole("combobox", { name: "Role" }));
    // Ant Design's role="option" nodes are hidden copies holding the values; these are shown.
    await screen.findByRole("listbox");
    const shown = [...document.querySelectorAll(".ant-select-item-option")].map((o) => o.getAttribute("title"));
    expect(shown).toEqual(["Finance", "Deal desk"]);
    await userEvent.click(document.querySelector('.ant-select-item-option[title="Deal desk"]') as Element);
    expect(chosen).toEqual(["r2"]);
    expect(calls.filter((c) => c.path === "/api/v1/roles")).toHaveLength(1);
  });

  it("is shown by the role's name", async () => {
    mockApi({ "GET /api/v1/me": CAN_SEE_ROLES, "GET /api/v1/roles": ROLES });
    renderAt(<RecordLink reference="access.role" id="r1" />, "/");
    expect(await screen.findByText("Finance")).toBeInTheDocument();
  });

  it("asks nothing of someone who may not see roles", async () => {
    const calls = mockApi({ "GET /api/v1/roles": ROLES });
    renderAt(<RecordLink reference="access.role" id="r1" />, "/");
    expect(await screen.findByText("r1")).toBeInTheDocument();
    expect(calls.some((c) => c.path === "/api/v1/roles")).toBe(false);
  });
});
