import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it } from "vitest";

import {
  grantsPayload,
  groupByModule,
  scopesOf,
  toggle,
  type Grants,
  type PermissionOut,
} from "./matrix";
import { PermissionMatrix } from "./PermissionMatrix";

const permission = (
  name: string,
  scoped: boolean,
  extra: Partial<PermissionOut> = {},
): PermissionOut => ({
  name,
  module: name.split(".")[0] ?? "",
  description: `Describes ${name}`,
  scoped,
  default_roles: [],
  owner_only: false,
  ...extra,
});

const CATALOG: PermissionOut[] = [
  permission("crm.deal.write", true),
  permission("audit.entry.read", false),
  permission("crm.deal.read", true),
  permission("modules.module.purge", false, { owner_only: true }),
];

/** The matrix as an editor holds it, with the payload it would send shown for the test. */
function Harness({ initial = {} }: { initial?: Grants }) {
  const [grants, setGrants] = useState<Grants>(initial);
  return (
    <>
      <PermissionMatrix
        catalog={CATALOG}
        grants={grants}
        onChange={setGrants}
        moduleLabel={(module) => `Module ${module}`}
      />
      <output data-testid="payload">{JSON.stringify(grantsPayload(grants))}</output>
    </>
  );
}

afterEach(cleanup);

const payload = () => JSON.parse(screen.getByTestId("payload").textContent ?? "[]") as unknown;

describe("permission matrix logic", () => {
  it("groups by module in name order", () => {
    const groups = groupByModule(CATALOG).map(([module, list]) => [
      module,
      list.map((p) => p.name),
    ]);
    expect(groups).toEqual([
      ["audit", ["audit.entry.read"]],
      ["crm", ["crm.deal.read", "crm.deal.write"]],
      ["modules", ["modules.module.purge"]],
    ]);
  });

  it("offers own/team/all only where the catalog scopes the permission", () => {
    expect(scopesOf(CATALOG[0]!)).toEqual(["own", "team", "all"]);
    expect(scopesOf(CATALOG[1]!)).toEqual(["all"]);
    expect(scopesOf(CATALOG[3]!)).toEqual([]);
  });

  it("ticks one scope per permission and unticks it again", () => {
    let grants = toggle({}, "crm.deal.read", "own");
    grants = toggle(grants, "crm.deal.read", "team");
    expect(grants).toEqual({ "crm.deal.read": "team" });
    expect(toggle(grants, "crm.deal.read", "team")).toEqual({});
  });
});

describe("<PermissionMatrix>", { timeout: 30_000 }, () => {
  it("renders the catalog by module, with cells only where a scope is allowed", () => {
    render(<Harness />);
    expect(screen.getByText("Module crm")).toBeInTheDocument();
    expect(screen.getByText("Module audit")).toBeInTheDocument();
    expect(screen.getByText("Describes crm.deal.read")).toBeInTheDocument();
    // Scoped: three cells; not scoped: "all" only; owners only: none.
    expect(screen.getByRole("checkbox", { name: "crm.deal.read: Own" })).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "crm.deal.read: Team" })).toBeInTheDocument();
    expect(screen.getByRole("checkbox", { name: "audit.entry.read: All" })).toBeInTheDocument();
    expect(screen.queryByRole("checkbox", { name: "audit.entry.read: Own" })).toBeNull();
    expect(screen.queryByRole("checkbox", { name: /modules\.module\.purge/ })).toBeNull();
    expect(screen.getByText("Owners only")).toBeInTheDocument();
  });

  it("turns ticks into the grants payload of the role request", () => {
    render(<Harness />);
    fireEvent.click(screen.getByRole("checkbox", { name: "crm.deal.write: Team" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "audit.entry.read: All" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "crm.deal.read: Own" }));
    expect(payload()).toEqual([
      { permission: "audit.entry.read", scope: "all" },
      { permission: "crm.deal.read", scope: "own" },
      { permission: "crm.deal.write", scope: "team" },
    ]);
    // Another scope replaces the grant's scope; ticking the granted scope again removes it.
    fireEvent.click(screen.getByRole("checkbox", { name: "crm.deal.write: All" }));
    fireEvent.click(screen.getByRole("checkbox", { name: "crm.deal.read: Own" }));
    expect(payload()).toEqual([
      { permission: "audit.entry.read", scope: "all" },
      { permission: "crm.deal.write", scope: "all" },
    ]);
  });

  it("grants a whole module at once, but never an owners-only permission", () => {
    render(<Harness initial={{ "crm.deal.read": "own" }} />);
    fireEvent.click(screen.getByRole("checkbox", { name: /every permission of Module crm/ }));
    expect(payload()).toEqual([
      { permission: "crm.deal.read", scope: "all" },
      { permission: "crm.deal.write", scope: "all" },
    ]);
    expect(
      screen.queryByRole("checkbox", { name: /every permission of Module modules/ }),
    ).toBeNull();
    fireEvent.click(screen.getByRole("checkbox", { name: /every permission of Module crm/ }));
    expect(payload()).toEqual([]);
  });

  it("is read-only without onChange (built-in roles)", () => {
    render(
      <PermissionMatrix
        catalog={CATALOG}
        grants={{ "crm.deal.read": "team" }}
        moduleLabel={(m) => m}
      />,
    );
    const cell = screen.getByRole("checkbox", { name: "crm.deal.read: Team" });
    expect(cell).toBeChecked();
    expect(cell).toBeDisabled();
    // The narrower scope is covered by the grant, shown as such.
    const own = screen.getByRole("checkbox", { name: "crm.deal.read: Own" });
    expect(own).not.toBeChecked();
    expect(own).toHaveAttribute("aria-checked", "mixed");
    expect(within(document.body).queryAllByRole("checkbox", { name: /every permission/ })).toEqual(
      [],
    );
  });
});
