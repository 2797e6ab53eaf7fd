import { describe, expect, it } from "vitest";

import type { MenuEntry } from "./navigation";
import type { Resource } from "./queries";
import { endpointsTakingSearch, menuPathOf, recordSubtitle, recordTitle, searchTargets, takesSearch } from "./search";

function resource(name: string, endpoint: string, extra: Partial<Resource> = {}): Resource {
  return {
    module: "crm",
    name,
    label: name,
    endpoint,
    fields: [
      { name: "name", label: "Name", type: "text", required: true, read_only: false, options: [], reference: null },
      { name: "industry", label: "Industry", type: "text", required: false, read_only: false, options: [], reference: null },
      { name: "owner_id", label: "Owner", type: "reference", required: false, read_only: false, options: [], reference: "identity.user" },
    ],
    list_columns: ["name", "owner_id", "industry"],
    filters: [],
    form: [],
    title_field: "name",
    kanban_by: null,
    calendar_by: null,
    can_write: false,
    ...extra,
  };
}

const MENUS: MenuEntry[] = [
  { module: "crm", label: "Accounts", path: "/crm/accounts", icon: "building", order: 20 },
  { module: "crm", label: "Activities", path: "/crm/activities", icon: "calendar", order: 24 },
];

describe("global search targets", () => {
  const doc = {
    paths: {
      "/api/v1/crm/accounts": { get: { parameters: [{ name: "q", in: "query" }, { name: "limit", in: "query" }] } },
      "/api/v1/crm/accounts/{account_id}": { get: { parameters: [{ name: "account_id", in: "path" }] } },
      "/api/v1/crm/activities": { get: { parameters: [{ name: "kind", in: "query" }] } },
      "/api/v1/crm/stages": { get: { parameters: [{ name: "q", in: "query" }] } },
    },
  };

  it("finds the list endpoints that take q in the API description", () => {
    expect([...endpointsTakingSearch(doc)].sort()).toEqual(["/api/v1/crm/accounts", "/api/v1/crm/stages"]);
  });

  it("searches resources that take q and have a screen at their menu path", () => {
    const documented = endpointsTakingSearch(doc);
    const resources = [
      resource("crm.account", "/api/v1/crm/accounts"),
      resource("crm.activity", "/api/v1/crm/activities"),
      // Takes q, but has no menu entry to open a result at.
      resource("crm.stage", "/api/v1/crm/stages"),
    ];
    const targets = searchTargets(resources, MENUS, (r) => takesSearch(r, documented));
    expect(targets.map((t) => [t.resource.name, t.path, t.label])).toEqual([["crm.account", "/crm/accounts", "Accounts"]]);
  });

  it("prefers a searchable flag in the metadata when the server gives one", () => {
    const flagged = { ...resource("crm.activity", "/api/v1/crm/activities"), searchable: true } as Resource;
    expect(takesSearch(flagged, new Set())).toBe(true);
    expect(takesSearch(resource("crm.activity", "/api/v1/crm/activities"), null)).toBe(false);
  });

  it("maps an endpoint to its menu path", () => {
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
