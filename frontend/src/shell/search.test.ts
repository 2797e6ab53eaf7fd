import { describe, expect, it } from "vitest";

import type { MenuEntry } from "./navigation";
import type { ResourceMeta } from "../modules/types";
import { menuPathOf, recordSubtitle, recordTitle, searchTargets } from "./search";

function resource(name: string, endpoint: string, extra: Partial<ResourceMeta> = {}): ResourceMeta {
  return {
    module: "crm",
    name,
    label: name,
    endpoint,
    fields: [
      { name: "name", label: "Name", type: "text", required: true, read_only: false, options: [], reference: null, create_only: false, option_labels: [] },
      { name: "industry", label: "Industry", type: "text", required: false, read_only: false, options: [], reference: null, create_only: false, option_labels: [] },
      { name: "owner_id", label: "Owner", type: "reference", required: false, read_only: false, options: [], reference: "identity.user", create_only: false, option_labels: [] },
    ],
    list_columns: ["name", "owner_id", "industry"],
    filters: [],
    form: [],
    title_field: "name",
    kanban_by: null,
    calendar_by: null,
    can_write: false,
    can_delete: false,
    search: true,
    sort_fields: [],
    filter_params: {},
    export_endpoint: null,
    timeline_endpoint: null,
    audit_type: null,
    approvable: false,
    ...extra,
  };
}

const MENUS: MenuEntry[] = [
  { module: "crm", label: "Accounts", path: "/crm/accounts", icon: "building", order: 20, resource: "crm.account", dashboard: null },
  { module: "crm", label: "Activities", path: "/crm/activities", icon: "calendar", order: 24, resource: "crm.activity", dashboard: null },
];

describe("global search targets", () => {
  it("searches resources whose list takes a search and that have a screen", () => {
    const resources = [
      resource("crm.account", "/api/v1/crm/accounts"),
      // Has a screen, but its list takes no search.
      resource("crm.activity", "/api/v1/crm/activities", { search: false }),
      // Takes a search, but no menu entry opens it.
      resource("crm.stage", "/api/v1/crm/stages"),
    ];
    const targets = searchTargets(resources, MENUS);
    expect(targets.map((t) => [t.resource.name, t.path, t.label])).toEqual([["crm.account", "/crm/accounts", "Accounts"]]);
  });

  it("finds a resource's screen by the menu entry that names it", () => {
    expect(menuPathOf(resource("crm.account", "/api/v1/crm/accounts"), MENUS)).toBe("/crm/accounts");
    expect(menuPathOf(resource("crm.deal", "/api/v1/crm/deals"), MENUS)).toBeUndefined();
  });
});

describe("search results", () => {
  const accounts = resource("crm.account", "/api/v1/crm/accounts");

  it("titles a result by its title field, with a plain-text second line", () => {
    const record = { id: "a1", name: "Initech", owner_id: "u-1", industry: "Software" };
    expect(recordTitle(accounts, record)).toBe("Initech");
    expect(recordSubtitle(accounts, record)).toBe("Software");
  });

  it("puts the first name before a last-name title, and falls back to the id", () => {
    const contacts = resource("crm.contact", "/api/v1/crm/contacts", { title_field: "last_name", list_columns: ["last_name", "first_name"] });
    expect(recordTitle(contacts, { id: "c1", last_name: "Gibbons", first_name: "Peter" })).toBe("Peter Gibbons");
    expect(recordTitle(contacts, { id: "c2", last_name: "" })).toBe("c2");
  });
});
