/**
 * The audit log's filters, as the page holds them (and puts them in its address, so a
 * filtered view can be shared), and as the API's query parameters.
 */
export interface AuditFilters {
  /** A user id. */
  actor?: string;
  action?: string;
  recordType?: string;
  recordId?: string;
  /** First day shown, YYYY-MM-DD (local time). */
  from?: string;
  /** Last day shown, YYYY-MM-DD (local time), included. */
  to?: string;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  record_type?: string;
  record_id?: string;
  since?: string;
  until?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function startOfLocalDay(day: string): Date {
  const [year, month, date] = day.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, date);
}

/**
 * The API's query parameters: empty filters left out, days as instants. ``until`` is
 * exclusive, so the last day counts up to the start of the day after it.
 */
export function filtersToQuery(filters: AuditFilters): AuditQuery {
  const query: AuditQuery = {};
  const text = (value: string | undefined) => value?.trim() || undefined;
  const actor = text(filters.actor);
  const action = text(filters.action);
  const recordType = text(filters.recordType);
  // The API takes a record id only with its type.
  const recordId = recordType ? text(filters.recordId) : undefined;
  if (actor) query.actor = actor;
  if (action) query.action = action;
  if (recordType) query.record_type = recordType;
  if (recordId) query.record_id = recordId;
  if (filters.from && DAY.test(filters.from)) {
    query.since = startOfLocalDay(filters.from).toISOString();
  }
  if (filters.to && DAY.test(filters.to)) {
    const end = startOfLocalDay(filters.to);
    end.setDate(end.getDate() + 1);
    query.until = end.toISOString();
  }
  return query;
}

const SEARCH_KEYS: [keyof AuditFilters, string][] = [
  ["actor", "actor"],
  ["action", "action"],
  ["recordType", "record_type"],
  ["recordId", "record_id"],
  ["from", "from"],
  ["to", "to"],
];

export function filtersFromSearch(search: URLSearchParams): AuditFilters {
  const filters: AuditFilters = {};
  for (const [key, param] of SEARCH_KEYS) {
    const value = search.get(param);
    if (value) filters[key] = value;
  }
  return filters;
}

export function filtersToSearch(filters: AuditFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, param] of SEARCH_KEYS) {
    const value = filters[key]?.trim();
    if (value) search.set(param, value);
  }
  return search;
}

/** The export's address: the same filters, and the format. */
export function exportUrl(filters: AuditFilters, format: "csv" | "jsonl"): string {
  const search = new URLSearchParams({ ...filtersToQuery(filters), format });
  return `/api/v1/audit/export?${search.toString()}`;
}
