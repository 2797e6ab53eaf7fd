import { DeleteOutlined, TeamOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Select, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import { MEMBERS_KEY, memberLabel, useMembers, type MemberOut } from "../../../app/members";
import { can, useMe } from "../../../app/session";
import { ConfirmAction } from "../shared/ConfirmAction";
import { useCursorList } from "../shared/cursor";
import { errorText } from "../shared/fieldErrors";
import { useFormatDate } from "../shared/format";
import { MemberRolesDialog } from "./MemberRolesDialog";
import { assignableRoles } from "./roles";
import { PagedTable } from "../shared/PagedTable";

export function MembersTable() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const formatDate = useFormatDate();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [rolesOf, setRolesOf] = useState<MemberOut | null>(null);
  const canManage = can(me.data, "identity.member.manage");
  const canSeeRoles = can(me.data, "access.role.read");
  const directory = useMembers();
  const list = useCursorList([...MEMBERS_KEY, "list"], (cursor) =>
    unwrap(api.GET("/api/v1/members", { params: { query: { limit: 50, cursor } } })),
  );

  const change = useMutation({
    mutationFn: (input: { id: string; role?: string; manager_id?: string | null }) =>
      unwrap(
        api.PATCH("/api/v1/members/{membership_id}", {
          params: { path: { membership_id: input.id } },
          body: {
            role: input.role as "owner" | "admin" | "member" | undefined,
            ...("manager_id" in input ? { manager_id: input.manager_id } : {}),
          },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: MEMBERS_KEY });
      void message.success(t("members.changed"));
    },
    onError: (error) => void message.error(errorText(error, t("members.changeFailed"))),
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE("/api/v1/members/{membership_id}", { params: { path: { membership_id: id } } }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: MEMBERS_KEY });
      void message.success(t("members.removed"));
    },
    onError: (error) => void message.error(errorText(error, t("members.removeFailed"))),
  });

  const roles = assignableRoles(me.data);
  const isMe = (member: MemberOut) => member.user_id === me.data?.user.id;
  const columns: ColumnsType<MemberOut> = [
    {
      title: t("members.name"),
      key: "name",
      render: (_, member) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{member.name || member.email}</Typography.Text>
          <Typography.Text type="secondary">{member.email}</Typography.Text>
          {isMe(member) && <Tag>{t("members.you")}</Tag>}
        </Space>
      ),
    },
    {
      title: t("members.role"),
      key: "role",
      render: (_, member) =>
        // Owners' roles are only the owners' to change; the select would only be refused.
        canManage && (member.role !== "owner" || me.data?.tenant?.role === "owner") ? (
          <Select
            value={member.role}
            style={{ minWidth: 120 }}
            aria-label={t("members.roleOf", { name: memberLabel(member) })}
            options={roles.map((role) => ({ value: role, label: t(`role.${role}`) }))}
            onChange={(role) => change.mutate({ id: member.id, role })}
          />
        ) : (
          <Tag>{t(`role.${member.role}`, member.role)}</Tag>
        ),
    },
    {
      title: t("members.manager"),
      key: "manager",
      render: (_, member) => {
        const manager = directory.data?.find((m) => m.id === member.manager_id);
        if (!canManage) return manager ? manager.name || manager.email : t("members.noManager");
        return (
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            style={{ minWidth: 180 }}
            placeholder={t("members.noManager")}
            aria-label={t("members.managerOf", { name: memberLabel(member) })}
            value={member.manager_id ?? undefined}
            loading={directory.isLoading}
            options={(directory.data ?? [])
              .filter((m) => m.id !== member.id)
              .map((m) => ({ value: m.id, label: memberLabel(m) }))}
            onChange={(value) => change.mutate({ id: member.id, manager_id: value ?? null })}
          />
        );
      },
    },
    { title: t("members.joined"), key: "joined", render: (_, m) => formatDate(m.joined_at) },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, member) => (
        <Space wrap>
          {canSeeRoles && (
            <Button icon={<TeamOutlined />} onClick={() => setRolesOf(member)}>
              {t("members.customRoles")}
            </Button>
          )}
          {canManage && !isMe(member) && (
            <ConfirmAction
              label={t("members.remove")}
              title={t("members.removeTitle", { name: memberLabel(member) })}
              description={t("members.removeBody")}
              icon={<DeleteOutlined />}
              ariaLabel={t("members.removeOf", { name: memberLabel(member) })}
              onConfirm={() => remove.mutateAsync(member.id)}
            />
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PagedTable list={list} rowKey="id" columns={columns} emptyText={t("members.empty")} />
      <MemberRolesDialog member={rolesOf} onClose={() => setRolesOf(null)} />
    </>
  );
}
