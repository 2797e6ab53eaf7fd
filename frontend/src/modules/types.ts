import type { components } from "../api/schema";

/** UI metadata as the server gives it (GET /api/v1/ui/...): what the generic screens draw. */
export type ResourceMeta = components["schemas"]["ResourceOut"];
export type FieldMeta = components["schemas"]["FieldOut"];
export type MenuMeta = components["schemas"]["MenuOut"];
export type DashboardMeta = components["schemas"]["DashboardOut"];
export type MetricMeta = components["schemas"]["MetricOut"];
export type ActionMeta = components["schemas"]["RecordActionOut"];
export type DocumentMeta = components["schemas"]["RecordDocumentOut"];

/** A record of any resource: the API's JSON object, with its id. */
export type RecordData = { id: string } & Record<string, unknown>;

/** One page of a list, as every list endpoint gives it. */
export interface PageData {
  items: RecordData[];
  next_cursor: string | null;
}

/** The platform's own record type a plugin field may point at: a member of the tenant. */
export const USER_REFERENCE = "identity.user";

/** The platform's other record type a plugin field may point at: one of the tenant's custom roles. */
export const ROLE_REFERENCE = "access.role";
