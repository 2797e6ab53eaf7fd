import dayjs, { type Dayjs } from "dayjs";

import { fieldOf, filterParam } from "./metadata";
import type { Query } from "./records";
import type { RecordData, ResourceMeta } from "./types";

/** The local calendar day of a date ("2027-03-01") or a moment (in the reader's time zone). */
export function dayOf(value: unknown): string | null {
  if (typeof value !== "string" || !value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const moment = dayjs(value);
  return moment.isValid() ? moment.format("YYYY-MM-DD") : null;
}

/** Records by the day their ``field`` falls on, in the order given. */
export function recordsByDay(records: readonly RecordData[], field: string): Map<string, RecordData[]> {
  const days = new Map<string, RecordData[]>();
  for (const record of records) {
    const day = dayOf(record[field]);
    if (!day) continue;
    days.set(day, [...(days.get(day) ?? []), record]);
  }
  return days;
}

/** The days a month's page shows: from the week of its first day to the week of its last. */
export function monthRange(month: Dayjs): { first: Dayjs; last: Dayjs } {
  const start = month.startOf("month");
  const end = month.endOf("month");
  return { first: start.subtract(start.day(), "day"), last: end.add(6 - end.day(), "day") };
}

/**
 * The list query for a month's page: a date range filter where the resource declares one
 * (``<param>_from``/``_to``), else sorted by the date (the page is then picked from the list).
 */
export function calendarQuery(resource: ResourceMeta, month: Dayjs): { query: Query; ranged: boolean } {
  const name = resource.calendar_by ?? "";
  const field = fieldOf(resource, name);
  const { first, last } = monthRange(month);
  if (field && resource.filters.includes(name)) {
    const param = filterParam(resource, name);
    if (field.type === "date") {
      return { query: { [`${param}_from`]: first.format("YYYY-MM-DD"), [`${param}_to`]: last.format("YYYY-MM-DD") }, ranged: true };
    }
    return {
      query: { [`${param}_from`]: first.startOf("day").toISOString(), [`${param}_to`]: last.add(1, "day").startOf("day").toISOString() },
      ranged: true,
    };
  }
  return { query: resource.sort_fields.includes(name) ? { sort: `-${name}` } : {}, ranged: false };
}
