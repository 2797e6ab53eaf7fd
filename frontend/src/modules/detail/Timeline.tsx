import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Empty, Skeleton, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { request } from "../../api/client";
import type { components } from "../../api/schema";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDateTime, humanize } from "../format";
import { basePathOf, resourceNamed, useMenus, useResources } from "../metadata";

export type TimelineEntry = components["schemas"]["TimelineEntryOut"];

/** The record's timeline (every module's entries, newest first), page by page. */
export function RecordTimeline({ endpoint, id }: { endpoint: string; id: string }) {
  const { t, i18n } = useTranslation("modules");
  const url = endpoint.replace("{id}", encodeURIComponent(id));
  const entries = useInfiniteQuery({
    queryKey: ["timeline", url],
    queryFn: ({ pageParam }) =>
      request<{ items: TimelineEntry[]; next_cursor: string | null }>("GET", url, {
        query: { limit: 20, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (entries.isPending) return <Skeleton active />;
  if (entries.isError) return <ErrorNotice error={entries.error} retry={() => void entries.refetch()} />;
  const items = entries.data.pages.flatMap((page) => page.items);
  if (items.length === 0) return <Empty description={t("detail.noTimeline")} />;
  return (
    <>
      <Timeline
        items={items.map((entry, index) => ({
          key: `${entry.record_type}-${entry.record_id}-${entry.at}-${index}`,
          children: <TimelineItem entry={entry} language={i18n.language} />,
        }))}
      />
      {entries.hasNextPage ? (
        <Button onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
          {t("list.more")}
        </Button>
      ) : null}
    </>
  );
}

function TimelineItem({ entry, language }: { entry: TimelineEntry; language: string }) {
  const resources = useResources();
  const menus = useMenus();
  const target = resourceNamed(resources.data, entry.record_type);
  const title = target ? (
    <Link to={`${basePathOf(target, menus.data)}/${encodeURIComponent(entry.record_id)}`}>{entry.title}</Link>
  ) : (
    entry.title
  );
  return (
    <div>
      <Typography.Text strong>{title}</Typography.Text>
      <div style={{ color: "rgba(0,0,0,0.62)", fontSize: 13 }}>
        {formatDateTime(entry.at, language)} · {humanize(entry.kind.split(".").slice(1).join(" ") || entry.kind)}
      </div>
      {entry.detail ? <Typography.Paragraph style={{ margin: 0 }}>{entry.detail}</Typography.Paragraph> : null}
    </div>
  );
}
