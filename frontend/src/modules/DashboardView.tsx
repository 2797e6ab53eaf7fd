import { useQuery } from "@tanstack/react-query";
import { Card, Col, Empty, Row, Select, Skeleton, Typography } from "antd";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";

import { request } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import {
  CHART_HEIGHT,
  chartOption,
  hasData,
  metricQuery,
  PERIODS,
  valueAt,
  type ChartAnswer,
} from "./charts";
import { PageHeader, Screen } from "./common";
import { EChart } from "./EChart";
import { formatNumber } from "./format";
import type { DashboardMeta, MetricMeta } from "./types";

const FIGURES = ["number", "percent"];
const FIGURE_STYLE = {
  fontSize: 30,
  fontWeight: 600,
  fontVariantNumeric: "tabular-nums",
  overflowWrap: "anywhere",
} as const;

/** A dashboard at its menu path: its heading, the period picker and its metrics. */
export default function DashboardView({ dashboard }: { dashboard: DashboardMeta }) {
  return (
    <Screen>
      <DashboardBody dashboard={dashboard} heading={1} />
    </Screen>
  );
}

/** The period picker (where metrics have periods; kept in the address) and the metrics. */
export function DashboardBody({ dashboard, heading }: { dashboard: DashboardMeta; heading: 1 | 2 }) {
  const { t } = useTranslation("modules");
  const [params, setParams] = useSearchParams();
  const chosen = params.get("period");
  const period = chosen && (PERIODS as readonly string[]).includes(chosen) ? chosen : null;
  const periodic = dashboard.metrics.some((metric) => metric.period);
  const picker = periodic ? (
    <Select
      aria-label={t("dashboard.period")}
      value={period ?? ""}
      onChange={(value: string) => {
        const next = new URLSearchParams(params);
        if (value) next.set("period", value);
        else next.delete("period");
        setParams(next, { replace: true });
      }}
      options={[
        { value: "", label: t("dashboard.ownPeriods") },
        ...PERIODS.map((p) => ({ value: p, label: t(`period.${p}`) })),
      ]}
      style={{ minWidth: 200 }}
    />
  ) : null;
  const figures = dashboard.metrics.filter((m) => FIGURES.includes(m.display));
  const charts = dashboard.metrics.filter((m) => !FIGURES.includes(m.display));
  return (
    <>
      {heading === 1 ? (
        <PageHeader title={dashboard.label} extra={picker} />
      ) : (
        <div style={{ display: "flex", justifyContent: "flex-end", marginBottom: 12 }}>{picker}</div>
      )}
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {figures.map((metric) => (
          <Col key={metric.name} xs={24} sm={12} lg={6}>
            <MetricCard metric={metric} period={period} />
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]}>
        {charts.map((metric) => (
          <Col key={metric.name} xs={24} lg={12}>
            <MetricCard metric={metric} period={period} />
          </Col>
        ))}
      </Row>
    </>
  );
}

/** A figure as its display says: a number, or a percent (the value is in percent: 62.5 → 62.5 %). */
export function figureText(display: string, value: unknown, language: string): string {
  if (value === null || value === undefined || value === "") return "—";
  const text = formatNumber(value, language);
  return display === "percent" ? `${text} %` : text;
}

export function MetricCard({ metric, period }: { metric: MetricMeta; period: string | null }) {
  const { t, i18n } = useTranslation("modules");
  const query = metricQuery(metric, period);
  const answer = useQuery({
    queryKey: ["metric", metric.endpoint, query],
    queryFn: () => request<unknown>("GET", metric.endpoint, { query }),
  });
  const titleId = `metric-${metric.name.replace(/\W/g, "-")}`;
  return (
    <Card
      size="small"
      // A long title wraps (antd's card titles end in "…" on one line, unreadable on a phone).
      styles={{ title: { whiteSpace: "normal" } }}
      title={
        <Typography.Title
          level={2}
          id={titleId}
          style={{ fontSize: 15, margin: 0, padding: "6px 0", overflowWrap: "anywhere" }}
        >
          {metric.label}
        </Typography.Title>
      }
      extra={metric.period ? <span style={{ fontSize: 12 }}>{t(`period.${period ?? metric.period}`)}</span> : null}
      aria-labelledby={titleId}
      role="region"
    >
      {answer.isPending ? (
        <Skeleton active paragraph={{ rows: FIGURES.includes(metric.display) ? 1 : 5 }} title={false} />
      ) : answer.isError ? (
        <ErrorNotice error={answer.error} retry={() => void answer.refetch()} />
      ) : FIGURES.includes(metric.display) ? (
        <div style={FIGURE_STYLE} data-metric-value>
          {figureText(metric.display, valueAt(answer.data, metric.value ?? ""), i18n.language)}
        </div>
      ) : (
        <MetricChart metric={metric} answer={answer.data as ChartAnswer} />
      )}
    </Card>
  );
}

function MetricChart({ metric, answer }: { metric: MetricMeta; answer: ChartAnswer }) {
  const { t } = useTranslation("modules");
  const option = useMemo(
    () => (hasData(metric, answer) ? chartOption(metric, answer) : null),
    [metric, answer],
  );
  if (!option) {
    // As tall as the chart would be, so that a row of cards keeps one height.
    return (
      <div style={{ minHeight: CHART_HEIGHT, display: "grid", placeContent: "center" }}>
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={metric.period ? t("dashboard.noData") : t("dashboard.noDataYet")}
        />
      </div>
    );
  }
  return <EChart option={option} label={metric.label} />;
}
