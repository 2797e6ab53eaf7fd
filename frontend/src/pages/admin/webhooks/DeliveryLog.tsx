import { Drawer, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useCursorList } from "../shared/cursor";
import { useFormatDate } from "../shared/format";
import { PagedTable } from "../shared/PagedTable";
import { WEBHOOKS_KEY, type EndpointOut } from "./keys";
import { StatusTag, type Tone } from "../shared/StatusTag";

type DeliveryOut = components["schemas"]["DeliveryOut"];
const STATUS_TONES: Record<string, Tone> = {
  succeeded: "success",
  failed: "warning",
  gave_up: "error",
};

/** Every attempt to deliver to one endpoint, newest first. */
export function DeliveryLog({
  endpoint,
  onClose,
}: {
  endpoint: EndpointOut | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <Drawer
      open={endpoint !== null}
      title={t("webhooks.deliveriesOf", { url: endpoint?.url ?? "" })}
      size="min(900px, 100vw)"
      onClose={onClose}
      destroyOnHidden
    >
      {endpoint && <Deliveries endpointId={endpoint.id} />}
    </Drawer>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  const list = useCursorList([...WEBHOOKS_KEY, endpointId, "deliveries"], (cursor) =>
    unwrap(
      api.GET("/api/v1/webhooks/{endpoint_id}/deliveries", {
        params: { path: { endpoint_id: endpointId }, query: { limit: 50, cursor } },
      }),
    ),
  );
  const columns: ColumnsType<DeliveryOut> = [
    { title: t("webhooks.log.at"), key: "at", render: (_, d) => formatDate(d.created_at) },
    { title: t("webhooks.log.event"), key: "event", render: (_, d) => <code>{d.event_type}</code> },
    { title: t("webhooks.log.attempt"), dataIndex: "attempt", key: "attempt" },
    {
      title: t("webhooks.log.status"),
      key: "status",
      render: (_, d) => (
        <StatusTag tone={STATUS_TONES[d.status] ?? "neutral"}>
          {t(`webhooks.log.state.${d.status}`, d.status)}
        </StatusTag>
      ),
    },
    { title: t("webhooks.log.code"), key: "code", render: (_, d) => d.response_code ?? "—" },
    {
      title: t("webhooks.log.latency"),
      key: "latency",
      render: (_, d) => (d.latency_ms === null ? "—" : t("webhooks.log.ms", { ms: d.latency_ms })),
    },
    {
      title: t("webhooks.log.error"),
      key: "error",
      render: (_, d) =>
        d.error && (
          <Typography.Paragraph
            type="danger"
            ellipsis={{ rows: 2, expandable: true, symbol: t("webhooks.log.more") }}
            style={{ margin: 0, maxWidth: 320 }}
          >
            {d.error}
          </Typography.Paragraph>
        ),
    },
  ];
  return (
    <PagedTable
      list={list}
      rowKey="id"
      size="small"
      columns={columns}
      emptyText={t("webhooks.log.empty")}
    />
  );
}
