import { formatValue } from "./format";
import type { MenuEntry } from "./navigation";
import type { ResourceMeta } from "../modules/types";

export const RESULTS_PER_RESOURCE = 5;
export const SEARCH_MIN_LENGTH = 2;

/**
 * The menu path a resource's screens live at: the menu entry that names the resource. A
 * resource without one has no screen to open a result in (the deal stages, say), so it is
 * not searched.
 */
export function menuPathOf(resource: ResourceMeta, menus: readonly MenuEntry[]): string | undefined {
  return menus.find((entry) => entry.resource === resource.name)?.path;
}

export interface SearchTarget {
  resource: ResourceMeta;
  /** Menu path: a record opens at ``${path}/${id}``. */
  path: string;
  /** The group heading: the menu entry's label ("Accounts"). */
  label: string;
}

/** The resources whose list takes a search (their metadata's ``search``) and has a screen. */
export function searchTargets(
  resources: readonly ResourceMeta[],
  menus: readonly MenuEntry[],
): SearchTarget[] {
  const targets: SearchTarget[] = [];
  for (const resource of resources) {
    const path = menuPathOf(resource, menus);
    if (!path || !resource.search) continue;
    const entry = menus.find((m) => m.path === path);
    targets.push({ resource, path, label: entry?.label ?? resource.label });
  }
  return targets;
}

export type SearchRecord = Record<string, unknown> & { id: string };

/** A result's title: the resource's title field, or its first filled text column, or its id. */
export function recordTitle(resource: ResourceMeta, record: SearchRecord): string {
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
export function recordSubtitle(resource: ResourceMeta, record: SearchRecord, language = "en"): string | undefined {
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
