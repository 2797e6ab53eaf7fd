import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useRoles } from "../../../app/roles";
import { can, useMe } from "../../../app/session";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { AdminPage } from "../shared/AdminPage";
import { ConfirmAction } from "../shared/ConfirmAction";
import { errorText } from "../shared/fieldErrors";
import { ROLES_KEY } from "./keys";
import { RoleEditor, type EditorTarget } from "./RoleEditor";
import { ScrollTable } from "../shared/ScrollTable";

type RoleOut = components["schemas"]["RoleOut"];
type BuiltinRoleOut = components["schemas"]["BuiltinRoleOut"];
type RoleRow =
  | { kind: "builtin"; key: string; role: BuiltinRoleOut }
  | { kind: "custom"; key: string; role: RoleOut };

export default function RolesPage() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<EditorTarget | null>(null);
  const canManage = can(me.data, "access.role.manage");
  const roles = useRoles();
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/roles/{role_id}", { params: { path: { role_id: id } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ROLES_KEY });
      void message.success(t("roles.deleted"));
    },
    onError: (error) => void message.error(errorText(error, t("roles.deleteFailed"))),
  });

  const rows: RoleRow[] = [
    ...(roles.data?.builtin ?? []).map((role) => ({
      kind: "builtin" as const,
      key: role.name,
      role,
    })),
    ...(roles.data?.custom ?? []).map((role) => ({ kind: "custom" as const, key: role.id, role })),
  ];
  const columns: ColumnsType<RoleRow> = [
    {
      title: t("roles.name"),
      key: "name",
      render: (_, row) =>
        row.kind === "builtin" ? (
          <Space>
            <Typography.Text strong>{t(`role.${row.role.name}`, row.role.name)}</Typography.Text>
            <Tag>{t("roles.builtin")}</Tag>
          </Space>
        ) : (
          <Space orientation="vertical" size={0}>
            <Typography.Text strong>{row.role.name}</Typography.Text>
            {row.role.description && (
              <Typography.Text type="secondary">{row.role.description}</Typography.Text>
            )}
          </Space>
        ),
    },
    {
      title: t("roles.grantCount"),
      key: "grants",
      render: (_, row) => t("roles.grants", { count: row.role.grants.length }),
    },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, row) =>
        row.kind === "builtin" ? (
          <Button onClick={() => setEditing({ kind: "builtin", role: row.role })}>
            {t("roles.view")}
          </Button>
        ) : (
          <Space wrap>
            <Button onClick={() => setEditing({ kind: "custom", role: row.role })}>
              {canManage ? t("common:action.edit") : t("roles.view")}
            </Button>
            {canManage && (
              <ConfirmAction
                label={t("common:action.delete")}
                title={t("roles.deleteTitle", { name: row.role.name })}
                description={t("roles.deleteBody")}
                onConfirm={() => remove.mutateAsync(row.role.id)}
              />
            )}
          </Space>
        ),
    },
  ];

  return (
    <AdminPage
      title={t("roles.title")}
      description={t("roles.description")}
      extra={
        canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ kind: "new" })}
          >
            {t("roles.create")}
          </Button>
        )
      }
    >
      {roles.isError ? (
        <ErrorNotice error={roles.error} retry={() => void roles.refetch()} />
      ) : (
        <ScrollTable
          rowKey="key"
          columns={columns}
          dataSource={rows}
          loading={roles.isPending}
          pagination={false}
          scroll={{ x: "max-content" }}
          locale={{ emptyText: <Empty description={t("roles.empty")} /> }}
        />
      )}
      {!roles.isPending && roles.data?.custom.length === 0 && (
        <Empty
          style={{ marginTop: 24 }}
          description={t("roles.noCustom")}
          image={Empty.PRESENTED_IMAGE_SIMPLE}
        >
          {canManage && (
            <Button type="primary" onClick={() => setEditing({ kind: "new" })}>
              {t("roles.create")}
            </Button>
          )}
        </Empty>
      )}
      <RoleEditor target={editing} onClose={() => setEditing(null)} />
    </AdminPage>
  );
}
