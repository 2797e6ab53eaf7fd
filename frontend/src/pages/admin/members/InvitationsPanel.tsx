import { MailOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, Select } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useMe } from "../../../app/session";
import { useCursorList } from "../shared/cursor";
import { errorText, showFieldErrors } from "../shared/fieldErrors";
import { ConfirmAction } from "../shared/ConfirmAction";
import { useFormatDate } from "../shared/format";
import { PagedTable } from "../shared/PagedTable";
import { assignableRoles, type BuiltinRole } from "./roles";
import { StatusTag, type Tone } from "../shared/StatusTag";

type InvitationOut = components["schemas"]["InvitationOut"];
const INVITATIONS_KEY = ["admin", "invitations"] as const;
const STATUS_TONES: Record<InvitationOut["status"], Tone> = {
  pending: "info",
  accepted: "success",
  revoked: "neutral",
  expired: "warning",
};

export function InvitationsPanel() {
  return (
    <>
      <InviteForm />
      <InvitationsList />
    </>
  );
}

function InviteForm() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const [form] = Form.useForm<{ email: string; role: BuiltinRole }>();
  const { message } = App.useApp();
  const client = useQueryClient();
  const invite = useMutation({
    mutationFn: (values: { email: string; role: BuiltinRole }) =>
      unwrap(api.POST("/api/v1/invitations", { body: values })),
    onSuccess: async (invitation) => {
      form.resetFields();
      await client.invalidateQueries({ queryKey: INVITATIONS_KEY });
      void message.success(t("invitations.sent", { email: invitation.email }));
    },
    onError: (error) => {
      if (!showFieldErrors(form, error, ([name]) => name === "email" || name === "role")) {
        void message.error(errorText(error, t("invitations.failed")));
      }
    },
  });
  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("invitations.inviteTitle")}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Form
        form={form}
        layout="inline"
        initialValues={{ role: "member" }}
        onFinish={(values) => invite.mutate(values)}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="email"
          label={t("invitations.email")}
          rules={[{ required: true, type: "email", message: t("invitations.emailInvalid") }]}
        >
          <Input type="email" autoComplete="off" style={{ width: 260, maxWidth: "100%" }} />
        </Form.Item>
        <Form.Item name="role" label={t("invitations.role")}>
          <Select
            style={{ width: 140 }}
            options={assignableRoles(me.data).map((role) => ({
              value: role,
              label: t(`role.${role}`),
            }))}
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<MailOutlined />}
            loading={invite.isPending}
          >
            {t("invitations.send")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function InvitationsList() {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useCursorList([...INVITATIONS_KEY], (cursor) =>
    unwrap(api.GET("/api/v1/invitations", { params: { query: { limit: 50, cursor } } })),
  );
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE("/api/v1/invitations/{invitation_id}", {
          params: { path: { invitation_id: id } },
        }),
      ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: INVITATIONS_KEY });
      void message.success(t("invitations.revoked"));
    },
    onError: (error) => void message.error(errorText(error, t("invitations.revokeFailed"))),
  });
  const columns: ColumnsType<InvitationOut> = [
    { title: t("invitations.email"), dataIndex: "email", key: "email" },
    { title: t("invitations.role"), key: "role", render: (_, i) => t(`role.${i.role}`, i.role) },
    {
      title: t("invitations.status"),
      key: "status",
      render: (_, i) => (
        <StatusTag tone={STATUS_TONES[i.status]}>{t(`invitations.state.${i.status}`)}</StatusTag>
      ),
    },
    { title: t("invitations.sentAt"), key: "created", render: (_, i) => formatDate(i.created_at) },
    { title: t("invitations.expires"), key: "expires", render: (_, i) => formatDate(i.expires_at) },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, invitation) =>
        invitation.status === "pending" && (
          <ConfirmAction
            label={t("invitations.revoke")}
            title={t("invitations.revokeTitle", { email: invitation.email })}
            description={t("invitations.revokeBody")}
            onConfirm={() => revoke.mutateAsync(invitation.id)}
          />
        ),
    },
  ];
  return <PagedTable list={list} rowKey="id" columns={columns} emptyText={t("invitations.empty")} />;
}
