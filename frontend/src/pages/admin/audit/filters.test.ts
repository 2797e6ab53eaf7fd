import dayjs from "dayjs";
import { describe, expect, it } from "vitest";

import { fromForm } from "./AuditFilterForm";
import { exportUrl, filtersFromSearch, filtersToQuery, filtersToSearch } from "./filters";

describe("audit filters -> query parameters", () => {
  it("sends nothing for no filters", () => {
    expect(filtersToQuery({})).toEqual({});
  });

  it("names each filter as the API does, trimmed, empty ones left out", () => {
    expect(
      filtersToQuery({
        actor: "0190a000-0000-7000-8000-000000000001",
        action: " update ",
        recordType: "crm_deal",
        recordId: "42",
        from: "",
      }),
    ).toEqual({
      actor: "0190a000-0000-7000-8000-000000000001",
      action: "update",
      record_type: "crm_deal",
      record_id: "42",
    });
  });

  it("leaves out a record id without its record type (the API refuses it)", () => {
    expect(filtersToQuery({ recordId: "42" })).toEqual({});
  });

  it("turns days into instants: since the first day's start, until the day after the last", () => {
    const query = filtersToQuery({ from: "2026-03-01", to: "2026-03-31" });
    expect(query.since).toBe(new Date(2026, 2, 1).toISOString());
    expect(query.until).toBe(new Date(2026, 3, 1).toISOString());
    expect(filtersToQuery({ from: "March" })).toEqual({});
  });

  it("reads the form: a date range, and blanks as no filter", () => {
    expect(
      fromForm({
        actor: undefined,
        action: "  ",
        recordType: "crm_deal",
        recordId: "7",
        range: [dayjs("2026-01-05"), null],
      }),
    ).toEqual({
      actor: undefined,
      action: undefined,
      recordType: "crm_deal",
      recordId: "7",
      from: "2026-01-05",
      to: undefined,
    });
    expect(fromForm({ recordId: "7" }).recordId).toBeUndefined();
  });

  it("round-trips through the page address", () => {
    const filters = { action: "delete", recordType: "crm_deal", recordId: "9", to: "2026-02-02" };
    const search = filtersToSearch(filters);
    expect(search.toString()).toBe("action=delete&record_type=crm_deal&record_id=9&to=2026-02-02");
    expect(filtersFromSearch(search)).toEqual(filters);
  });

  it("exports with the same filters and the chosen format", () => {
    const url = new URL(exportUrl({ action: "login" }, "csv"), "http://x");
    expect(url.pathname).toBe("/api/v1/audit/export");
    expect(Object.fromEntries(url.searchParams)).toEqual({ action: "login", format: "csv" });
  });
});
