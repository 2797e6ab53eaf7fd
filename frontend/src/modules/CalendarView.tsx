import { useQuery, useQueryClient } from "@tanstack/react-query";
import { LeftOutlined, RightOutlined } from "@ant-design/icons";
import { Alert, Badge, Button, Calendar, ConfigProvider, Empty, Flex, Grid, List, Skeleton, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { ErrorNotice } from "../components/ErrorNotice";
import { calendarQuery, recordsByDay } from "./calendar";
import { PageHeader, Screen, ViewSwitch } from "./common";
import { formatDate } from "./format";
import type { ScreenProps } from "./ListView";
import { fetchPage, titleOf } from "./records";
import type { RecordData } from "./types";

/** At most this many records are read for a month when the list cannot filter by the date. */
const UNRANGED_MAX = 1000;
const PER_DAY = 3;

/** A month of records on their day of ``calendar_by``; a record opens its page. */
export default function CalendarView({ resource, base, title }: ScreenProps) {
  const { t, i18n } = useTranslation("modules");
  const client = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const monthParam = params.get("month");
  const month =
    monthParam && /^\d{4}-\d{2}$/.test(monthParam) ? dayjs(`${monthParam}-01`) : dayjs().startOf("month");
  const [selected, setSelected] = useState<Dayjs>(dayjs());
  const field = resource.calendar_by ?? "";
  const { query, ranged } = calendarQuery(resource, month);
  const records = useQuery({
    queryKey: ["calendar", resource.name, query],
    queryFn: async () => {
      const items: RecordData[] = [];
      let cursor: string | undefined;
      do {
        const page = await fetchPage(client, resource, { ...query, limit: 200, cursor });
        items.push(...page.items);
        cursor = page.next_cursor ?? undefined;
      } while (cursor && items.length < UNRANGED_MAX);
      return { items, truncated: Boolean(cursor) };
    },
  });
  const days = recordsByDay(records.data?.items ?? [], field);
  const wide = screens.md ?? true;

  function dayCell(date: Dayjs) {
    const found = days.get(date.format("YYYY-MM-DD")) ?? [];
    if (found.length === 0) return null;
    if (!wide) return <Badge count={found.length} size="small" color="#0b4fa8" />;
    return (
      <ul style={{ listStyle: "none", margin: 0, padding: 0 }}>
        {found.slice(0, PER_DAY).map((record) => (
          <li key={record.id} style={{ whiteSpace: "nowrap", overflow: "hidden", textOverflow: "ellipsis" }}>
            <Link to={`${base}/${encodeURIComponent(record.id)}`} onClick={(event) => event.stopPropagation()}>
              {titleOf(resource, record)}
            </Link>
          </li>
        ))}
        {found.length > PER_DAY ? (
          <li>
            <Typography.Text>{t("calendar.more", { count: found.length - PER_DAY })}</Typography.Text>
          </li>
        ) : null}
      </ul>
    );
  }

  const selectedRecords = days.get(selected.format("YYYY-MM-DD")) ?? [];
  return (
    <Screen>
      <PageHeader title={t("calendar.title", { resource: title ?? resource.label })} extra={<ViewSwitch resource={resource} base={base} current="calendar" />} />
      {records.isError ? <ErrorNotice error={records.error} retry={() => void records.refetch()} /> : null}
      {!ranged && records.data?.truncated ? (
        <Alert type="info" showIcon message={t("calendar.truncated", { count: UNRANGED_MAX })} style={{ marginBottom: 12 }} />
      ) : null}
      {records.isPending ? <Skeleton active /> : null}
      {/* Days of the months around are greyed, still readable (antd's #bfbfbf is not). */}
      <ConfigProvider theme={{ token: { colorTextDisabled: "rgba(0, 0, 0, 0.56)" } }}>
      <Calendar
        fullscreen={wide}
        value={selected.isSame(month, "month") ? selected : month}
        onSelect={(date) => setSelected(date)}
        onPanelChange={(date) => {
          const next = new URLSearchParams(params);
          next.set("month", date.format("YYYY-MM"));
          setParams(next, { replace: true });
        }}
        cellRender={(date, info) => (info.type === "date" ? dayCell(date) : null)}
        headerRender={({ value, onChange }) => (
          <MonthHeader month={value} onChange={onChange} language={i18n.language} />
        )}
      />
      </ConfigProvider>
      {!wide ? (
        <section aria-label={formatDate(selected.format("YYYY-MM-DD"), i18n.language)} style={{ marginTop: 12 }}>
          <Typography.Title level={2} style={{ fontSize: 16 }}>
            {formatDate(selected.format("YYYY-MM-DD"), i18n.language)}
          </Typography.Title>
          {selectedRecords.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("calendar.nothing")} />
          ) : (
            <List
              dataSource={selectedRecords}
              renderItem={(record) => (
                <List.Item>
                  <Link to={`${base}/${encodeURIComponent(record.id)}`}>{titleOf(resource, record)}</Link>
                </List.Item>
              )}
            />
          )}
        </section>
      ) : null}
    </Screen>
  );
}

/** Month by month, with labelled buttons (antd's own header has unlabelled year and month
 * selects). */
function MonthHeader(props: { month: Dayjs; onChange: (date: Dayjs) => void; language: string }) {
  const { t } = useTranslation("modules");
  const label = new Intl.DateTimeFormat(props.language, { year: "numeric", month: "long" }).format(props.month.toDate());
  return (
    <Flex align="center" justify="space-between" gap={8} wrap style={{ padding: "8px 4px" }}>
      <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }} aria-live="polite">
        {label}
      </Typography.Title>
      <Flex gap={4}>
        <Button aria-label={t("calendar.previous")} icon={<LeftOutlined />} onClick={() => props.onChange(props.month.subtract(1, "month"))} />
        <Button onClick={() => props.onChange(dayjs())}>{t("calendar.today")}</Button>
        <Button aria-label={t("calendar.next")} icon={<RightOutlined />} onClick={() => props.onChange(props.month.add(1, "month"))} />
      </Flex>
    </Flex>
  );
}
