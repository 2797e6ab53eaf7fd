import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Checkbox, Empty, Modal, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { api, unwrap } from "../../../api/client";
import { memberLabel, type MemberOut } from "../../../app/members";
import { useRoles } from "../../../app/roles";
import { can, useMe } from "../../../app/session";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { PageLoading } from "../../../components/PageLoading";
import { errorText } from "../shared/fieldErrors";
import { ROLES_KEY } from "../roles/keys";

/** The custom roles one member holds: ticked on and off, saved as the whole set. */
export function MemberRolesDialog({
  member,
  onClose,
}: {
  member: MemberOut | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const canManage = can(me.data, "access.role.manage");
  const [chosen, setChosen] = useState<string[]>([]);
  const roles = useRoles();
  const held = useQuery({
    queryKey: [...ROLES_KEY, "member", member?.id],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/members/{membership_id}/roles", {
          params: { path: { membership_id: member?.id ?? "" } },
        }),
      ),
    enabled: member !== null,
  });
  useEffect(() => {
    if (held.data) setChosen(held.data.map((r) => r.id));
  }, [held.data]);

  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PUT("/api/v1/members/{membership_id}/roles", {
          params: { path: { membership_id: member?.id ?? "" } },
          body: { role_ids: chosen },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ROLES_KEY });
      void message.success(t("memberRoles.saved"));
      onClose();
    },
  });

  const loading = roles.isPending || held.isPending;
  const error = roles.error ?? held.error;
  const custom = roles.data?.custom ?? [];
  return (
    <Modal
      open={member !== null}
      title={member ? t("memberRoles.title", { name: memberLabel(member) }) : ""}
      okText={t("common:action.save")}
      cancelText={t("common:action.cancel")}
      okButtonProps={{ disabled: !canManage || loading, loading: save.isPending }}
      onOk={() => save.mutate()}
      onCancel={onClose}
      afterClose={() => save.reset()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t("memberRoles.help")}</Typography.Paragraph>
      {loading ? (
        <PageLoading />
      ) : error ? (
        <ErrorNotice error={error} />
      ) : custom.length === 0 ? (
        <Empty description={t("memberRoles.none")}>
          <Link to="/admin/roles">{t("memberRoles.createFirst")}</Link>
        </Empty>
      ) : (
        <div role="group" aria-label={t("memberRoles.listLabel")}>
          <Checkbox.Group
            value={chosen}
            disabled={!canManage}
            onChange={(values) => setChosen(values.map(String))}
          >
            <Space orientation="vertical">
              {custom.map((role) => (
                <Checkbox key={role.id} value={role.id}>
                  <Typography.Text strong>{role.name}</Typography.Text>
                  {role.description && (
                    <Typography.Text type="secondary"> — {role.description}</Typography.Text>
                  )}
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </div>
      )}
      {save.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          title={errorText(save.error, t("memberRoles.failed"))}
        />
      )}
    </Modal>
  );
}
