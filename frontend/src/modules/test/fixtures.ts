import type { DashboardMeta, FieldMeta, MenuMeta, ResourceMeta } from "../types";

export function field(name: string, label: string, more: Partial<FieldMeta> = {}): FieldMeta {
  const options = more.options ?? [];
  return {
    name, label, type: "text", required: false, read_only: false, options, reference: null, create_only: false,
    reference_from: null, reference_resources: {},
    // As the server names options without a catalogue (not format's humanize: importing the
    // screens here would make the API client before the harness stands in for fetch).
    option_labels: options.map((o) => o.charAt(0).toUpperCase() + o.slice(1).replaceAll("_", " ")), ...more,
  };
}

export function resource(more: Partial<ResourceMeta> & Pick<ResourceMeta, "name" | "label" | "endpoint" | "fields">): ResourceMeta {
  return {
    module: "crm",
    list_columns: [],
    filters: [],
    form: [],
    title_field: "name",
    kanban_by: null,
    calendar_by: null,
    can_write: true,
    can_edit: more.can_write ?? true,
    can_delete: false,
    search: false,
    sort_fields: [],
    filter_params: {},
    export_endpoint: null,
    import_endpoint: null,
    timeline_endpoint: null,
    facts_endpoint: null,
    audit_type: null,
    approvable: false,
    actions: [],
    documents: [],
    ...more,
  };
}

export const ACCOUNT = resource({
  name: "crm.account",
  label: "Account",
  endpoint: "/api/v1/crm/accounts",
  fields: [field("name", "Name", { required: true }), field("owner_id", "Owner", { type: "reference", reference: "identity.user" })],
  list_columns: ["name", "owner_id"],
  filters: ["owner_id"],
  form: [["name"], ["owner_id"]],
  search: true,
  sort_fields: ["name"],
  filter_params: { owner_id: "owner" },
  can_delete: true,
  timeline_endpoint: "/api/v1/crm/accounts/{id}/timeline",
  facts_endpoint: "/api/v1/crm/accounts/{id}/facts",
  audit_type: "crm_account",
});

export const STAGE = resource({
  name: "crm.stage",
  label: "Stage",
  endpoint: "/api/v1/crm/stages",
  fields: [field("name", "Name", { read_only: true }), field("pipeline_id", "Pipeline", { type: "reference", reference: "crm.pipeline" })],
  list_columns: ["name"],
  filters: ["pipeline_id"],
  can_write: false,
});

export const PIPELINE = resource({
  name: "crm.pipeline",
  label: "Pipeline",
  endpoint: "/api/v1/crm/pipelines",
  fields: [field("name", "Name", { read_only: true })],
  list_columns: ["name"],
  can_write: false,
});

export const DEAL = resource({
  name: "crm.deal",
  label: "Deal",
  endpoint: "/api/v1/crm/deals",
  fields: [
    field("name", "Name", { required: true }),
    field("account_id", "Account", { type: "reference", reference: "crm.account", create_only: true }),
    field("pipeline_id", "Pipeline", { type: "reference", reference: "crm.pipeline", create_only: true }),
    field("stage_id", "Stage", { type: "reference", reference: "crm.stage" }),
    field("amount", "Amount", { type: "money", required: true }),
    field("currency", "Currency", { required: true }),
    field("expected_close", "Expected close", { type: "date" }),
    field("status", "Status", { type: "enum", read_only: true, options: ["open", "won", "lost"] }),
  ],
  list_columns: ["name", "account_id", "amount", "expected_close", "status"],
  filters: ["pipeline_id", "stage_id", "status"],
  form: [["name"], ["account_id"], ["pipeline_id", "stage_id"], ["amount", "currency"], ["expected_close"]],
  search: true,
  sort_fields: ["name", "amount", "expected_close"],
  kanban_by: "stage_id",
  calendar_by: "expected_close",
  approvable: true,
});

export const TICKET = resource({
  name: "crm.ticket",
  label: "Ticket",
  endpoint: "/api/v1/crm/tickets",
  fields: [
    field("subject", "Subject", { required: true }),
    field("account_id", "Account", { type: "reference", reference: "crm.account" }),
    field("status", "Status", { type: "enum", options: ["open", "in_progress", "closed"] }),
  ],
  list_columns: ["subject", "status"],
  filters: ["status", "account_id"],
  title_field: "subject",
  kanban_by: "status",
});

/** An activity is about an account or a ticket: a reference whose record type a field says. */
export const ACTIVITY = resource({
  name: "crm.activity",
  label: "Activity",
  endpoint: "/api/v1/crm/activities",
  fields: [
    field("subject", "Subject", { required: true }),
    field("record_type", "About a", { type: "enum", required: true, options: ["account", "ticket"], create_only: true }),
    field("record_id", "Record", {
      type: "reference", required: true, create_only: true, reference_from: "record_type",
      reference_resources: { account: "crm.account", ticket: "crm.ticket" },
    }),
  ],
  list_columns: ["subject", "record_type", "record_id"],
  title_field: "subject",
  form: [["subject"], ["record_type", "record_id"]],
});

export const RESOURCES = [ACCOUNT, PIPELINE, STAGE, DEAL, TICKET, ACTIVITY];

export const MENUS: MenuMeta[] = [
  { module: "crm", label: "Deals", path: "/crm/deals", icon: "", order: 1, resource: null, dashboard: null },
  { module: "crm", label: "Reports", path: "/crm/reports", icon: "", order: 2, resource: null, dashboard: "crm.sales" },
];

export const SALES: DashboardMeta = {
  module: "crm",
  name: "crm.sales",
  label: "Sales",
  order: 1,
  metrics: [
    { name: "crm.win_rate", label: "Win rate", endpoint: "/api/v1/crm/reports/win-rate", display: "percent", value: "totals.0.rate", period: "last_90_days", params: {}, series: [] },
    { name: "crm.pipeline_value", label: "Pipeline value", endpoint: "/api/v1/crm/reports/pipeline-value", display: "bar", value: null, period: null, params: { interval: "month" }, series: ["open"] },
  ],
};

export const ME = {
  auth: "session",
  csrf_token: "token",
  modules: ["crm"],
  // Every role may see the members (the server's default): names and people pickers need it.
  permissions: { "audit.entry.read": "all", "crm.deal.read": "all", "identity.member.read": "all" },
  tenant: { id: "t1", slug: "acme", name: "Acme", role: "owner" },
  tenants: [],
  user: { id: "u1", email: "olivia@example.com", name: "Olivia Owner", email_verified: true },
};

export const MEMBERS = {
  items: [{ id: "m1", user_id: "u1", email: "olivia@example.com", name: "Olivia Owner", role: "owner", manager_id: null, joined_at: "2027-01-01T00:00:00Z" }],
  next_cursor: null,
};
