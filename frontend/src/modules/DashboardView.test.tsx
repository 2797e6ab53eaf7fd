import { mockApi, renderAt } from "./test/harness";

import { screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { chartOption, hasData, metricQuery, periodDates, valueAt } from "./charts";
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

  it("have nothing to draw without labels, or when every plotted value is zero or missing", () => {
    const bar = SALES.metrics[1]!;
    expect(hasData(bar, PIPELINE_VALUE)).toBe(true);
    expect(hasData(bar, { labels: [], series: [] })).toBe(false);
    expect(hasData(bar, {})).toBe(false);
    expect(hasData(bar, { labels: ["Qualification"], series: [] })).toBe(false);
    const zeros = { labels: ["Jan", "Feb"], series: [{ name: "open", data: ["0.00", null] }] };
    expect(hasData(bar, zeros)).toBe(false);
    // Only the series the metric names count: "weighted" is not drawn.
    const other = { labels: ["Jan"], series: [{ name: "open", data: [0] }, { name: "weighted", data: [5] }] };
    expect(hasData(bar, other)).toBe(false);
    // A pie draws its first series only.
    const pie = { ...bar, display: "pie", series: [] };
    expect(hasData(pie, { labels: ["A"], series: [{ name: "x", data: [0] }, { name: "y", data: [3] }] })).toBe(false);
    expect(hasData(pie, { labels: ["A"], series: [{ name: "x", data: [2] }] })).toBe(true);
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

describe("a metric card", () => {
  it("says a chart has no data instead of drawing blank axes", async () => {
    mockApi({
      "GET /api/v1/crm/reports/win-rate": { totals: [{ rate: "62.5" }] },
      "GET /api/v1/crm/reports/pipeline-value": {
        labels: ["Qualification", "Proposal"],
        series: [{ name: "open", currency: "USD", data: ["0.00", "0.00"] }],
      },
    });
    renderAt(<DashboardView dashboard={SALES} />, "/crm/reports");
    const card = await screen.findByRole("region", { name: "Pipeline value" });
    expect(await within(card).findByText("Nothing to show yet.")).toBeInTheDocument();
    expect(screen.queryByTestId("chart")).toBeNull();
  });

  it("says so for the period when a chart of a period is empty", async () => {
    const periodic = { ...SALES.metrics[1]!, period: "this_month" };
    mockApi({ "GET /api/v1/crm/reports/pipeline-value": { labels: [], series: [] } });
    renderAt(<DashboardView dashboard={{ ...SALES, metrics: [periodic] }} />, "/crm/reports");
    expect(await screen.findByText("No data for this period yet.")).toBeInTheDocument();
  });

  it("shows a long title whole, wrapping instead of cutting it off", async () => {
    const label = "Weighted value of every open deal by expected close month and owner's team";
    const long = { ...SALES.metrics[0]!, label };
    mockApi({ "GET /api/v1/crm/reports/win-rate": { totals: [{ rate: "62.5" }] } });
    renderAt(<DashboardView dashboard={{ ...SALES, metrics: [long] }} />, "/crm/reports");
    const heading = await screen.findByRole("heading", { level: 2, name: label });
    expect(screen.getByRole("region", { name: label })).toBeInTheDocument();
    // antd's card title is one line ending in "…"; this one may take more lines.
    expect(heading.closest(".ant-card-head-title")).toHaveStyle({ whiteSpace: "normal" });
    expect(heading).toHaveStyle({ overflowWrap: "anywhere" });
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
