import { Button, Card, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { AdminPage } from "../shared/AdminPage";
import { useCursorList } from "../shared/cursor";
import { useFormatDate } from "../shared/format";
import { PagedTable } from "../shared/PagedTable";
import { Actor } from "./actor";
import { AuditFilterForm } from "./AuditFilterForm";
import { Changes } from "./Changes";
import { ExportButton } from "./ExportButton";
import { filtersFromSearch, filtersToQuery, filtersToSearch, type AuditFilters } from "./filters";
import { RecordHistory, type RecordRef } from "./RecordHistory";

type AuditEntryOut = components["schemas"]["AuditEntryOut"];

export default function AuditPage() {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const [record, setRecord] = useState<RecordRef | null>(null);
  const query = filtersToQuery(filters);
  const list = useCursorList(["admin", "audit", "entries", query], (cursor) =>
    unwrap(api.GET("/api/v1/audit", { params: { query: { ...query, limit: 50, cursor } } })),
  );
  const apply = (next: AuditFilters) => setSearch(filtersToSearch(next));
  const filtered = Object.keys(query).length > 0;

  const columns: ColumnsType<AuditEntryOut> = [
    { title: t("audit.when"), key: "when", render: (_, e) => formatDate(e.occurred_at) },
    { title: t("audit.actor"), key: "actor", render: (_, e) => <Actor entry={e} /> },
    { title: t("audit.action"), key: "action", render: (_, e) => <Tag>{e.action}</Tag> },
    {
      title: t("audit.record"),
      key: "record",
      render: (_, e) =>
        e.record_type ? (
          e.record_id ? (
            <Button
              type="link"
              style={{ padding: 0, height: "auto", whiteSpace: "normal", textAlign: "start" }}
              onClick={() => setRecord({ type: e.record_type ?? "", id: e.record_id ?? "" })}
              aria-label={t("audit.showHistory", { type: e.record_type, id: e.record_id })}
            >
              <span>
                {e.record_type} <Typography.Text type="secondary">{e.record_id}</Typography.Text>
              </span>
            </Button>
          ) : (
            e.record_type
          )
        ) : (
          "—"
        ),
    },
    {
      title: t("audit.changes"),
      key: "changes",
      render: (_, e) => t("audit.fieldCount", { count: Object.keys(e.changes).length }),
    },
  ];

  return (
    <AdminPage
      title={t("audit.title")}
      description={t("audit.description")}
      extra={<ExportButton filters={filters} />}
    >
      <Card style={{ marginBottom: 16 }}>
        <AuditFilterForm value={filters} onChange={apply} />
      </Card>
      <PagedTable
        list={list}
        rowKey="seq"
        columns={columns}
        expandable={{
          expandedRowRender: (entry) => <EntryDetail entry={entry} />,
          rowExpandable: () => true,
        }}
        emptyText={filtered ? t("audit.emptyFiltered") : t("audit.empty")}
        emptyAction={filtered && <Button onClick={() => apply({})}>{t("audit.reset")}</Button>}
      />
      <RecordHistory record={record} onClose={() => setRecord(null)} />
    </AdminPage>
  );
}

/** An entry unfolded: the changed fields, and where the request came from. */
function EntryDetail({ entry }: { entry: AuditEntryOut }) {
  const { t } = useTranslation("admin");
  return (
    <div style={{ display: "grid", gap: 8 }}>
      <Changes changes={entry.changes} />
      <Typography.Text type="secondary">
        {[
          entry.request_id && `${t("audit.requestId")}: ${entry.request_id}`,
          entry.ip && `${t("audit.ip")}: ${entry.ip}`,
          entry.user_agent && `${t("audit.userAgent")}: ${entry.user_agent}`,
          `#${entry.seq}`,
        ]
          .filter(Boolean)
          .join(" · ")}
      </Typography.Text>
    </div>
  );
}
