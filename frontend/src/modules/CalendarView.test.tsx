import { mockApi, renderAt } from "./test/harness";

import { fireEvent, screen, within } from "@testing-library/react";
import dayjs from "dayjs";
import { describe, expect, it, vi } from "vitest";

import { calendarQuery, recordsByDay } from "./calendar";
import CalendarView from "./CalendarView";
import { DEAL } from "./test/fixtures";

vi.setConfig({ testTimeout: 20_000 });

describe("calendar placement", () => {
  it("puts records on the day of their date field", () => {
    const days = recordsByDay(
      [
        { id: "a", expected_close: "2027-03-05" },
        { id: "b", expected_close: null },
        { id: "c", expected_close: "2027-03-05" },
      ],
      "expected_close",
    );
    expect([...days.keys()]).toEqual(["2027-03-05"]);
    expect(days.get("2027-03-05")!.map((r) => r.id)).toEqual(["a", "c"]);
  });

  it("asks a month by the date filter where declared, else the list sorted by the date", () => {
    const withRange = { ...DEAL, filters: [...DEAL.filters, "expected_close"], filter_params: { expected_close: "close" } };
    expect(calendarQuery(withRange, dayjs("2027-03-01")).query).toEqual({ close_from: "2027-02-28", close_to: "2027-04-03" });
    expect(calendarQuery(DEAL, dayjs("2027-03-01"))).toEqual({ query: { sort: "-expected_close" }, ranged: false });
  });
});

describe("the calendar view", () => {
  it("shows each record on its day, linked to its page", async () => {
    mockApi({
      "GET /api/v1/crm/deals": { items: [{ id: "d1", name: "Forklift fleet", expected_close: "2027-03-05" }], next_cursor: null },
    });
    renderAt(<CalendarView resource={DEAL} base="/crm/deals" title="Deals" />, "/crm/deals/calendar?month=2027-03");
    expect(await screen.findByRole("heading", { level: 1, name: "Deals calendar" })).toBeInTheDocument();
    // jsdom is a narrow screen: a day shows its count; choosing it lists its records below.
    const day = document.querySelector('td[title="2027-03-05"]') as HTMLElement;
    expect(await within(day).findByText("1")).toBeInTheDocument();
    fireEvent.click(within(day).getByText("05"));
    expect(await screen.findByRole("link", { name: "Forklift fleet" })).toHaveAttribute("href", "/crm/deals/d1");
  });
});
