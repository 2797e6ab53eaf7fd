import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Empty, Skeleton, Table } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError, api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDateTime, humanize } from "../format";
import { UserName } from "../references";
import type { ResourceMeta } from "../types";

type Entry = components["schemas"]["AuditEntryOut"];

function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** What changed, field by field, as "label: before → after". */
export function describeChanges(resource: ResourceMeta, changes: Record<string, unknown>): string[] {
  return Object.entries(changes).map(([name, change]) => {
    const label = resource.fields.find((field) => field.name === name)?.label ?? name;
    if (Array.isArray(change) && change.length === 2) return `${label}: ${shown(change[0])} → ${shown(change[1])}`;
    return `${label}: ${shown(change)}`;
  });
}

/** The record's history from the audit trail, newest first. */
export function AuditHistory({ resource, type, id }: { resource: ResourceMeta; type: string; id: string }) {
  const { t, i18n } = useTranslation("modules");
  const history = useInfiniteQuery({
    queryKey: ["audit", type, id],
    queryFn: async ({ pageParam }) => {
      try {
        return await unwrap(
          api.GET("/api/v1/audit/records/{record_type}/{record_id}", {
            params: { path: { record_type: type, record_id: id }, query: { limit: 50, cursor: pageParam } },
          }),
        );
      } catch (error) {
        // A record the trail has nothing on yet: an empty history, not an error.
        if (error instanceof ApiError && error.status === 404) return { items: [], next_cursor: null };
        throw error;
      }
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  if (history.isPending) return <Skeleton active />;
  if (history.isError) return <ErrorNotice error={history.error} retry={() => void history.refetch()} />;
  const rows = history.data.pages.flatMap((page) => page.items);
  if (rows.length === 0) return <Empty description={t("detail.noHistory")} />;
  return (
    <>
      <Table<Entry>
        rowKey="seq"
        size="small"
        pagination={false}
        dataSource={rows}
        scroll={{ x: "max-content" }}
        columns={[
          { key: "at", title: t("history.when"), render: (_, e) => formatDateTime(e.occurred_at, i18n.language) },
          {
            key: "who",
            title: t("history.who"),
            render: (_, e) => (e.actor_user_id ? <UserName id={e.actor_user_id} /> : humanize(e.actor_kind)),
          },
          { key: "what", title: t("history.action"), render: (_, e) => humanize(e.action) },
          {
            key: "changes",
            title: t("history.changes"),
            render: (_, e) => (
              <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                {describeChanges(resource, e.changes).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ),
          },
        ]}
      />
      {history.hasNextPage ? (
        <Button onClick={() => void history.fetchNextPage()} loading={history.isFetchingNextPage} style={{ marginTop: 12 }}>
          {t("list.more")}
        </Button>
      ) : null}
    </>
  );
}
