import { humanize } from "./format";
import type { MetricMeta } from "./types";

/** How tall a dashboard's chart is (and what stands in for one without data). */
export const CHART_HEIGHT = 280;

export const PERIODS = [
  "today",
  "this_week",
  "this_month",
  "this_quarter",
  "this_year",
  "last_30_days",
  "last_90_days",
  "last_365_days",
] as const;

function iso(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/**
 * A period as ``from`` and ``to`` dates, both included: "this …" runs from its first day (a
 * week from Monday) to today, "last N days" are the N days up to today.
 */
export function periodDates(period: string, today = new Date()): { from: string; to: string } {
  const day = new Date(today.getFullYear(), today.getMonth(), today.getDate());
  const to = iso(day);
  const y = day.getFullYear();
  const m = day.getMonth();
  switch (period) {
    case "today":
      return { from: to, to };
    case "this_week": {
      const sinceMonday = (day.getDay() + 6) % 7;
      return { from: iso(new Date(y, m, day.getDate() - sinceMonday)), to };
    }
    case "this_month":
      return { from: iso(new Date(y, m, 1)), to };
    case "this_quarter":
      return { from: iso(new Date(y, m - (m % 3), 1)), to };
    case "this_year":
      return { from: iso(new Date(y, 0, 1)), to };
    default: {
      const days = /^last_(\d+)_days$/.exec(period);
      if (!days) throw new Error(`unknown period ${period}`);
      return { from: iso(new Date(y, m, day.getDate() - Number(days[1]) + 1)), to };
    }
  }
}

/** The query of a metric: its params, and its period's dates (``period`` overrides the
 * metric's own, for the dashboard's period picker). */
export function metricQuery(metric: MetricMeta, period?: string | null, today?: Date): Record<string, string> {
  const query: Record<string, string> = { ...metric.params };
  const chosen = metric.period ? (period ?? metric.period) : null;
  if (chosen) Object.assign(query, periodDates(chosen, today));
  return query;
}

/** The value at a dotted path ("totals.0.amount") of an answer; undefined where it is not. */
export function valueAt(body: unknown, path: string): unknown {
  let current: unknown = body;
  for (const part of path.split(".")) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current)) current = current[Number(part)];
    else if (typeof current === "object") current = (current as Record<string, unknown>)[part];
    else return undefined;
  }
  return current;
}

export interface ChartAnswer {
  labels?: string[];
  series?: { name: string; data: (string | number | null)[]; currency?: string | null }[];
}

function number(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** The series a metric plots: those it names (all if none), each named with its currency. */
export function plottedSeries(metric: MetricMeta, answer: ChartAnswer) {
  return (answer.series ?? [])
    .filter((s) => metric.series.length === 0 || metric.series.includes(s.name))
    .map((s) => ({ name: s.currency ? `${humanize(s.name)} (${s.currency})` : humanize(s.name), data: s.data.map(number) }));
}

/**
 * Whether a chart has anything to draw: labels, and a value other than zero in a series it
 * plots (a funnel or pie plots its first). Blank axes or an empty ring say nothing.
 */
export function hasData(metric: MetricMeta, answer: ChartAnswer | null | undefined): boolean {
  if (!answer?.labels?.length) return false;
  const series = plottedSeries(metric, answer);
  const drawn = metric.display === "funnel" || metric.display === "pie" ? series.slice(0, 1) : series;
  return drawn.some((s) => s.data.some((value) => value !== null && value !== 0));
}

/** The ECharts option of a chart metric: the answer's labels against its series. */
export function chartOption(metric: MetricMeta, answer: ChartAnswer): Record<string, unknown> {
  const labels = answer.labels ?? [];
  const series = plottedSeries(metric, answer);
  const base = { aria: { enabled: true }, tooltip: { trigger: metric.display === "bar" || metric.display === "line" ? "axis" : "item" } };
  if (metric.display === "funnel" || metric.display === "pie") {
    const first = series[0];
    const data = labels.map((label, index) => ({ name: label, value: first?.data[index] ?? 0 }));
    return {
      ...base,
      legend: { show: metric.display === "pie", bottom: 0, type: "scroll" },
      series: [
        metric.display === "funnel"
          ? { type: "funnel", name: first?.name ?? metric.label, sort: "none", left: "10%", width: "80%", label: { show: true, position: "inside" }, data }
          : { type: "pie", name: first?.name ?? metric.label, radius: ["40%", "70%"], data },
      ],
    };
  }
  return {
    ...base,
    legend: { show: series.length > 1, bottom: 0, type: "scroll" },
    grid: { left: 8, right: 16, top: 16, bottom: series.length > 1 ? 40 : 8, containLabel: true },
    xAxis: { type: "category", data: labels, axisLabel: { interval: 0, hideOverlap: true } },
    yAxis: { type: "value" },
    series: series.map((s) => ({ type: metric.display, name: s.name, data: s.data, smooth: metric.display === "line" })),
  };
}
