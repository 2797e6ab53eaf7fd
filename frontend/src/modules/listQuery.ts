import { fieldOf, filterParam } from "./metadata";
import type { Query } from "./records";
import type { ResourceMeta } from "./types";

/**
 * A list's state lives in the address (shareable, kept on back and reload): ``q``, ``sort``
 * and ``f.<field>`` per filter (``f.<field>.from`` / ``.to`` for a date range).
 */
export function filterKey(field: string, end?: "from" | "to"): string {
  return end ? `f.${field}.${end}` : `f.${field}`;
}

/** The list endpoint's query parameters for the state in ``params``: only what it declares. */
export function listQuery(resource: ResourceMeta, params: URLSearchParams): Query {
  const query: Query = {};
  const q = params.get("q")?.trim();
  if (resource.search && q) query.q = q;
  const sort = params.get("sort");
  if (sort && resource.sort_fields.includes(sort.replace(/^-/, ""))) query.sort = sort;
  for (const name of resource.filters) {
    const field = fieldOf(resource, name);
    if (!field) continue;
    const param = filterParam(resource, name);
    if (field.type === "date" || field.type === "datetime") {
      const from = params.get(filterKey(name, "from"));
      const to = params.get(filterKey(name, "to"));
      if (from) query[`${param}_from`] = field.type === "date" ? from : startOfDay(from);
      if (to) query[`${param}_to`] = field.type === "date" ? to : startOfDay(to, 1);
      continue;
    }
    const value = params.get(filterKey(name));
    if (!value) continue;
    if (field.type === "bool") {
      if (value === "true") query[param] = true;
    } else {
      query[param] = value;
    }
  }
  return query;
}

/** The start of a local calendar day (plus ``days``) as an instant: a datetime range's ends
 * (the "to" end is exclusive, so the last day counts whole). */
export function startOfDay(day: string, days = 0): string {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, date + days).toISOString();
}

/** Whether any filter or search is set (the empty state then offers to clear them). */
export function isFiltered(params: URLSearchParams): boolean {
  return [...params.keys()].some((key) => key === "q" || key.startsWith("f."));
}
