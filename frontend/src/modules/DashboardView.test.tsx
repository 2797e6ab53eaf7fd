import { mockApi, renderAt } from "./test/harness";

import { screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { chartOption, metricQuery, periodDates, valueAt } from "./charts";
import DashboardView from "./DashboardView";
import HomeDashboard from "./HomeDashboard";
import { ME, SALES } from "./test/fixtures";

vi.setConfig({ testTimeout: 20_000 });

// jsdom has no canvas: the chart itself is drawn only in a browser; here its option shows.
vi.mock("./EChart", () => ({
  EChart: ({ option, label }: { option: unknown; label: string }) => (
    <pre aria-label={label} data-testid="chart">
      {JSON.stringify(option)}
    </pre>
  ),
}));

const PIPELINE_VALUE = {
  labels: ["Qualification", "Proposal"],
  series: [
    { name: "open", currency: "USD", data: ["300.00", "0.00"] },
    { name: "weighted", currency: "USD", data: ["30.00", "0.00"] },
  ],
};

describe("metrics", () => {
  it("map labels and the named series to an ECharts option", () => {
    const bar = SALES.metrics[1]!;
    const option = chartOption(bar, PIPELINE_VALUE) as { xAxis: { data: string[] }; series: { type: string; name: string; data: number[] }[] };
    expect(option.xAxis.data).toEqual(["Qualification", "Proposal"]);
    expect(option.series).toEqual([{ type: "bar", name: "Open (USD)", data: [300, 0], smooth: false }]);
    const funnel = chartOption({ ...bar, display: "funnel" }, PIPELINE_VALUE) as { series: { type: string; data: unknown[] }[] };
    expect(funnel.series[0]).toMatchObject({ type: "funnel", data: [{ name: "Qualification", value: 300 }, { name: "Proposal", value: 0 }] });
  });

  it("read a figure at its dotted value path", () => {
    expect(valueAt({ totals: [{ rate: "62.5" }] }, "totals.0.rate")).toBe("62.5");
    expect(valueAt({ totals: [] }, "totals.0.rate")).toBeUndefined();
  });

  it("turn periods into from and to dates, both included", () => {
    const today = new Date(2027, 2, 10); // a Wednesday
    expect(periodDates("today", today)).toEqual({ from: "2027-03-10", to: "2027-03-10" });
    expect(periodDates("this_week", today)).toEqual({ from: "2027-03-08", to: "2027-03-10" });
    expect(periodDates("this_quarter", today)).toEqual({ from: "2027-01-01", to: "2027-03-10" });
    expect(periodDates("last_30_days", today)).toEqual({ from: "2027-02-09", to: "2027-03-10" });
    expect(metricQuery(SALES.metrics[0]!, "this_month", today)).toEqual({ from: "2027-03-01", to: "2027-03-10" });
    expect(metricQuery(SALES.metrics[1]!, "this_month", today)).toEqual({ interval: "month" });
  });
});

describe("the dashboard view", () => {
  it("shows each figure's value and each chart, fetched with its params and period", async () => {
    const calls = mockApi({
      "GET /api/v1/crm/reports/win-rate": { totals: [{ rate: "62.5" }] },
      "GET /api/v1/crm/reports/pipeline-value": PIPELINE_VALUE,
    });
    renderAt(<DashboardView dashboard={SALES} />, "/crm/reports");
    expect(await screen.findByText("62.5 %")).toBeInTheDocument();
    expect(await screen.findByTestId("chart")).toHaveTextContent('"name":"Open (USD)"');
    const winRate = calls.find((c) => c.path.endsWith("/win-rate"))!;
    expect(winRate.query.get("from")).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(calls.find((c) => c.path.endsWith("/pipeline-value"))!.query.get("interval")).toBe("month");
  });
});

describe("the start page", () => {
  it("sends an admin to the modules when none is on", async () => {
    mockApi({ "GET /api/v1/ui/dashboards": [], "GET /api/v1/me": { ...ME, modules: [], permissions: { "modules.module.manage": "all" } } });
    renderAt(<HomeDashboard />, "/");
    expect(await screen.findByRole("link", { name: "Choose modules" })).toHaveAttribute("href", "/admin/modules");
  });

  it("shows the enabled modules' dashboards as tabs", async () => {
    mockApi({
      "GET /api/v1/crm/reports/win-rate": { totals: [{ rate: "50" }] },
      "GET /api/v1/crm/reports/pipeline-value": PIPELINE_VALUE,
    });
    renderAt(<HomeDashboard />, "/");
    expect(await screen.findByRole("tab", { name: "Sales" })).toBeInTheDocument();
    expect(await screen.findByText("50 %")).toBeInTheDocument();
  });
});
