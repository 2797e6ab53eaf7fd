import { formatValue } from "./format";
import type { MenuEntry } from "./navigation";
import type { Resource } from "./queries";

/** Where the OpenAPI document is served: the server's own word on what each endpoint takes. */
export const OPENAPI_URL = "/api/docs/openapi.json";
export const SEARCH_PARAM = "q";
export const RESULTS_PER_RESOURCE = 5;
export const SEARCH_MIN_LENGTH = 2;

/** Only what the search reads of an OpenAPI document. */
export interface OpenApiDocument {
  paths?: Record<string, { get?: { parameters?: { name?: string; in?: string }[] } }>;
}

/** The collection endpoints whose list takes ``q`` (a text search), from the OpenAPI document. */
export function endpointsTakingSearch(doc: OpenApiDocument): Set<string> {
  const found = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const parameters = item.get?.parameters ?? [];
    if (parameters.some((p) => p.name === SEARCH_PARAM && p.in === "query")) found.add(path);
  }
  return found;
}

/**
 * The menu path a resource's screens live at, by the modules' convention: the menu entry whose
 * path is the resource's endpoint without "/api/v1". A resource without one has no screen to
 * open a result in (the deal stages, say), so it is not searched.
 */
export function menuPathOf(resource: Resource, menus: readonly MenuEntry[]): string | undefined {
  const path = resource.endpoint.replace(/^\/api\/v1(?=\/)/, "");
  return menus.some((entry) => entry.path === path) ? path : undefined;
}

export interface SearchTarget {
  resource: Resource;
  /** Menu path: a record opens at ``${path}/${id}``. */
  path: string;
  /** The group heading: the menu entry's label ("Accounts"). */
  label: string;
}

export function searchTargets(
  resources: readonly Resource[],
  menus: readonly MenuEntry[],
  takesSearch: (resource: Resource) => boolean,
): SearchTarget[] {
  const targets: SearchTarget[] = [];
  for (const resource of resources) {
    const path = menuPathOf(resource, menus);
    if (!path || !takesSearch(resource)) continue;
    const entry = menus.find((m) => m.path === path);
    targets.push({ resource, path, label: entry?.label ?? resource.label });
  }
  return targets;
}

/**
 * Whether a resource's list takes ``q``: said by its metadata when the server gives a
 * ``searchable`` flag, else by the OpenAPI document (null until it has loaded).
 */
export function takesSearch(resource: Resource, documented: Set<string> | null): boolean {
  const flag = (resource as Resource & { searchable?: unknown }).searchable;
  if (typeof flag === "boolean") return flag;
  return documented?.has(resource.endpoint) ?? false;
}

/** Whether the resources carry their own ``searchable`` flag (then the document is not needed). */
export function resourcesSaySearchable(resources: readonly Resource[]): boolean {
  return resources.length > 0 && resources.every((r) => typeof (r as { searchable?: unknown }).searchable === "boolean");
}

export type SearchRecord = Record<string, unknown> & { id: string };

/** A result's title: the resource's title field, or its first filled text column, or its id. */
export function recordTitle(resource: Resource, record: SearchRecord): string {
  const candidates = [resource.title_field, ...resource.list_columns];
  for (const name of candidates) {
    const value = record[name];
    if (typeof value === "string" && value.trim()) {
      // "Last name" titles read better with the first name before them.
      const first = name === "last_name" ? record.first_name : undefined;
      return typeof first === "string" && first.trim() ? `${first} ${value}` : value;
    }
  }
  return record.id;
}

/**
 * A second line for a result: the first other list column with a value that reads as text
 * (plain text, or money with its currency); references and raw ids say nothing to a reader.
 */
export function recordSubtitle(resource: Resource, record: SearchRecord, language = "en"): string | undefined {
  const hasMoney = resource.fields.some((f) => f.type === "money");
  for (const name of resource.list_columns) {
    if (name === resource.title_field || name === "first_name") continue;
    // A currency shows with its amount, not on its own.
    if (hasMoney && name === "currency") continue;
    const field = resource.fields.find((f) => f.name === name);
    if (field && field.type !== "text" && field.type !== "money") continue;
    const value = formatValue(field?.type ?? "text", record[name], record, language);
    if (value && value.trim()) return value;
  }
  return undefined;
}
