import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Space, Switch, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { AdminPage } from "../shared/AdminPage";
import { ConfirmAction } from "../shared/ConfirmAction";
import { errorText } from "../shared/fieldErrors";
import { SecretOnce } from "../shared/SecretOnce";
import { DeliveryLog } from "./DeliveryLog";
import { EndpointForm } from "./EndpointForm";
import { WEBHOOKS_KEY, type EndpointOut } from "./keys";
import { StatusTag } from "../shared/StatusTag";
import { ScrollTable } from "../shared/ScrollTable";

export default function WebhooksPage() {
  const { t } = useTranslation("admin");
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<EndpointOut | "new" | null>(null);
  const [logOf, setLogOf] = useState<EndpointOut | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const endpoints = useQuery({
    queryKey: WEBHOOKS_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/webhooks")),
  });
  const refresh = () => client.invalidateQueries({ queryKey: WEBHOOKS_KEY });
  const failed = (fallback: string) => (error: unknown) =>
    void message.error(errorText(error, fallback));

  const setActive = useMutation({
    mutationFn: (input: { id: string; active: boolean }) =>
      unwrap(
        api.PATCH("/api/v1/webhooks/{endpoint_id}", {
          params: { path: { endpoint_id: input.id } },
          body: { active: input.active },
        }),
      ),
    onSuccess: refresh,
    onError: failed(t("webhooks.changeFailed")),
  });
  const rotate = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/webhooks/{endpoint_id}/rotate-secret", {
          params: { path: { endpoint_id: id } },
        }),
      ),
    onSuccess: (data) => setSecret(data.secret),
    onError: failed(t("webhooks.rotateFailed")),
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE("/api/v1/webhooks/{endpoint_id}", { params: { path: { endpoint_id: id } } }),
      ),
    onSuccess: async () => {
      await refresh();
      void message.success(t("webhooks.deleted"));
    },
    onError: failed(t("webhooks.deleteFailed")),
  });

  const columns: ColumnsType<EndpointOut> = [
    {
      title: t("webhooks.url"),
      key: "url",
      render: (_, e) => (
        <Space orientation="vertical" size={0} style={{ maxWidth: 360 }}>
          <Typography.Text code style={{ wordBreak: "break-all" }}>
            {e.url}
          </Typography.Text>
          {e.description && <Typography.Text type="secondary">{e.description}</Typography.Text>}
        </Space>
      ),
    },
    {
      title: t("webhooks.events"),
      key: "events",
      render: (_, e) => e.event_types.map((type) => <Tag key={type}>{type}</Tag>),
    },
    {
      title: t("webhooks.status"),
      key: "status",
      render: (_, e) => <EndpointStatus endpoint={e} />,
    },
    {
      title: t("webhooks.active"),
      key: "active",
      render: (_, e) => (
        <Switch
          checked={e.active && !e.paused_at}
          loading={setActive.isPending && setActive.variables?.id === e.id}
          onChange={(active) => setActive.mutate({ id: e.id, active })}
          aria-label={t("webhooks.activeOf", { url: e.url })}
        />
      ),
    },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, e) => (
        <Space wrap>
          <Button onClick={() => setLogOf(e)}>{t("webhooks.deliveries")}</Button>
          <Button onClick={() => setEditing(e)}>{t("common:action.edit")}</Button>
          <ConfirmAction
            label={t("webhooks.rotate")}
            title={t("webhooks.rotateTitle")}
            description={t("webhooks.rotateBody")}
            danger={false}
            onConfirm={() => rotate.mutateAsync(e.id)}
          />
          <ConfirmAction
            label={t("common:action.delete")}
            title={t("webhooks.deleteTitle")}
            description={t("webhooks.deleteBody")}
            onConfirm={() => remove.mutateAsync(e.id)}
          />
        </Space>
      ),
    },
  ];

  return (
    <AdminPage
      title={t("webhooks.title")}
      description={t("webhooks.description")}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing("new")}>
          {t("webhooks.create")}
        </Button>
      }
    >
      {endpoints.isError ? (
        <ErrorNotice error={endpoints.error} retry={() => void endpoints.refetch()} />
      ) : (
        <ScrollTable
          rowKey="id"
          columns={columns}
          dataSource={endpoints.data}
          loading={endpoints.isPending}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: "max-content" }}
          locale={{
            emptyText: (
              <Empty description={t("webhooks.empty")}>
                <Button type="primary" onClick={() => setEditing("new")}>
                  {t("webhooks.create")}
                </Button>
              </Empty>
            ),
          }}
        />
      )}
      <EndpointForm
        target={editing}
        onClose={() => setEditing(null)}
        onCreated={(created) => setSecret(created)}
      />
      <DeliveryLog endpoint={logOf} onClose={() => setLogOf(null)} />
      <SecretOnce
        secret={secret}
        title={t("webhooks.secretTitle")}
        onClose={() => setSecret(null)}
      />
    </AdminPage>
  );
}

/** On, off, or paused by the platform after failures in a row (with the reason). */
function EndpointStatus({ endpoint }: { endpoint: EndpointOut }) {
  const { t } = useTranslation("admin");
  if (endpoint.paused_at) {
    return (
      <Tooltip title={endpoint.pause_reason}>
        <StatusTag tone="error">{t("webhooks.state.paused")}</StatusTag>
      </Tooltip>
    );
  }
  if (!endpoint.active) return <StatusTag tone="neutral">{t("webhooks.state.off")}</StatusTag>;
  return (
    <Space size={4}>
      <StatusTag tone="success">{t("webhooks.state.on")}</StatusTag>
      {endpoint.consecutive_failures > 0 && (
        <StatusTag tone="warning">
          {t("webhooks.failures", { count: endpoint.consecutive_failures })}
        </StatusTag>
      )}
    </Space>
  );
}
