import { Drawer, Empty, Tag, Timeline, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError, api, unwrap } from "../../../api/client";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { PageLoading } from "../../../components/PageLoading";
import { useCursorList } from "../shared/cursor";
import { useFormatDate } from "../shared/format";
import { LoadMore } from "../shared/LoadMore";
import { Actor } from "./actor";
import { Changes } from "./Changes";

export interface RecordRef {
  type: string;
  id: string;
}

/** Everything that happened to one record, newest first. */
export function RecordHistory({
  record,
  onClose,
}: {
  record: RecordRef | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <Drawer
      open={record !== null}
      title={record ? t("audit.historyOf", { type: record.type, id: record.id }) : ""}
      size="min(720px, 100vw)"
      onClose={onClose}
      destroyOnHidden
    >
      {record && <History record={record} />}
    </Drawer>
  );
}

function History({ record }: { record: RecordRef }) {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  const list = useCursorList(["admin", "audit", "history", record.type, record.id], (cursor) =>
    unwrap(
      api.GET("/api/v1/audit/records/{record_type}/{record_id}", {
        params: {
          path: { record_type: record.type, record_id: record.id },
          query: { limit: 50, cursor },
        },
      }),
    ),
  );
  if (list.isPending) return <PageLoading />;
  // The API answers 404 for a record with no history: that is an empty history, not an error.
  if (list.isError) {
    if (list.error instanceof ApiError && list.error.status === 404) {
      return <Empty description={t("audit.noHistory")} />;
    }
    return <ErrorNotice error={list.error} retry={() => void list.refetch()} />;
  }
  return (
    <>
      <Timeline
        items={list.items.map((entry) => ({
          key: entry.seq,
          children: (
            <div>
              <Typography.Text strong>{formatDate(entry.occurred_at)}</Typography.Text>{" "}
              <Tag>{entry.action}</Tag> <Actor entry={entry} />
              <div style={{ marginTop: 8 }}>
                <Changes changes={entry.changes} />
              </div>
            </div>
          ),
        }))}
      />
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
      />
    </>
  );
}
