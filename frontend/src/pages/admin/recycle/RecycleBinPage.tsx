import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Input, Space, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { nameOfUser, useMembers } from "../../../app/members";
import { can, useMe } from "../../../app/session";
import { AdminPage } from "../shared/AdminPage";
import { ConfirmAction } from "../shared/ConfirmAction";
import { useCursorList } from "../shared/cursor";
import { errorText } from "../shared/fieldErrors";
import { useFormatDate } from "../shared/format";
import { PagedTable } from "../shared/PagedTable";

type RecycleItemOut = components["schemas"]["RecycleItemOut"];
const BIN_KEY = ["admin", "recycle-bin"] as const;

export default function RecycleBinPage() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const formatDate = useFormatDate();
  const members = useMembers();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [recordType, setRecordType] = useState("");
  const canPurge = can(me.data, "recycle.item.purge");
  const list = useCursorList([...BIN_KEY, recordType], (cursor) =>
    unwrap(
      api.GET("/api/v1/recycle-bin", {
        params: { query: { record_type: recordType || undefined, limit: 50, cursor } },
      }),
    ),
  );
  const restore = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/recycle-bin/{item_id}/restore", { params: { path: { item_id: id } } }),
      ),
    onSuccess: async (item) => {
      // A restored record is back in its own lists: let every cached list read again.
      await client.invalidateQueries();
      void message.success(t("recycle.restored", { label: item.label }));
    },
    onError: (error) => void message.error(errorText(error, t("recycle.restoreFailed"))),
  });
  const purge = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/recycle-bin/{item_id}", { params: { path: { item_id: id } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: BIN_KEY });
      void message.success(t("recycle.purged"));
    },
    onError: (error) => void message.error(errorText(error, t("recycle.purgeFailed"))),
  });

  const columns: ColumnsType<RecycleItemOut> = [
    {
      title: t("recycle.record"),
      key: "record",
      render: (_, item) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{item.label || item.record_id}</Typography.Text>
          <Typography.Text type="secondary">
            {item.record_type}
            {item.records > 1 && (
              <Tooltip title={t("recycle.withOthersHelp")}>
                <Tag style={{ marginInlineStart: 8 }}>
                  {t("recycle.withOthers", { count: item.records - 1 })}
                </Tag>
              </Tooltip>
            )}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t("recycle.deletedAt"), key: "at", render: (_, i) => formatDate(i.deleted_at) },
    {
      title: t("recycle.deletedBy"),
      key: "by",
      render: (_, i) => nameOfUser(members.data, i.deleted_by) ?? t("recycle.system"),
    },
    { title: t("recycle.expires"), key: "expires", render: (_, i) => formatDate(i.expires_at) },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, item) => (
        <Space wrap>
          <Button
            type="primary"
            loading={restore.isPending && restore.variables === item.id}
            onClick={() => restore.mutate(item.id)}
          >
            {t("recycle.restore")}
          </Button>
          {canPurge && (
            <ConfirmAction
              label={t("recycle.purge")}
              title={t("recycle.purgeTitle", { label: item.label || item.record_id })}
              description={t("recycle.purgeBody")}
              onConfirm={() => purge.mutateAsync(item.id)}
            />
          )}
        </Space>
      ),
    },
  ];

  return (
    <AdminPage title={t("recycle.title")} description={t("recycle.description")}>
      <Input.Search
        allowClear
        placeholder={t("recycle.typePlaceholder")}
        aria-label={t("recycle.typeFilter")}
        enterButton={t("common:action.search")}
        onSearch={(value) => setRecordType(value.trim())}
        style={{ maxWidth: 360, marginBottom: 16 }}
      />
      <PagedTable
        list={list}
        rowKey="id"
        columns={columns}
        emptyText={recordType ? t("recycle.emptyFiltered") : t("recycle.empty")}
      />
    </AdminPage>
  );
}
