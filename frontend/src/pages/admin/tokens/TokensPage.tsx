import { KeyOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Form, Input, Select } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { useMe } from "../../../app/session";
import { AdminPage } from "../shared/AdminPage";
import { ConfirmAction } from "../shared/ConfirmAction";
import { useCursorList } from "../shared/cursor";
import { errorText, showFieldErrors } from "../shared/fieldErrors";
import { useFormatDate } from "../shared/format";
import { PagedTable } from "../shared/PagedTable";
import { SecretOnce } from "../shared/SecretOnce";
import { StatusTag } from "../shared/StatusTag";

type ApiTokenOut = components["schemas"]["ApiTokenOut"];
const TOKENS_KEY = ["admin", "tokens"] as const;
const LIFETIMES = [30, 90, 365] as const;

export function tokenState(token: ApiTokenOut, now = new Date()): "active" | "revoked" | "expired" {
  if (token.revoked_at) return "revoked";
  if (token.expires_at && new Date(token.expires_at) <= now) return "expired";
  return "active";
}

export default function TokensPage() {
  const { t } = useTranslation("admin");
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <AdminPage title={t("tokens.title")} description={t("tokens.description")}>
      <CreateToken onCreated={setSecret} />
      <TokenList />
      <SecretOnce
        secret={secret}
        title={t("tokens.createdTitle")}
        onClose={() => setSecret(null)}
      />
    </AdminPage>
  );
}

interface TokenForm {
  name: string;
  lifetime: number | "never";
}

/** Name a token and choose how long it lives; the secret comes back once, to ``onCreated``. */
export function CreateToken({ onCreated }: { onCreated: (secret: string) => void }) {
  const { t } = useTranslation("admin");
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<TokenForm>();
  const create = useMutation({
    mutationFn: (values: TokenForm) =>
      unwrap(
        api.POST("/api/v1/tokens", {
          body: {
            name: values.name,
            expires_in_days: values.lifetime === "never" ? null : values.lifetime,
          },
        }),
      ),
    onSuccess: async (data) => {
      form.resetFields();
      onCreated(data.secret);
      await client.invalidateQueries({ queryKey: TOKENS_KEY });
    },
    onError: (error) => {
      if (!showFieldErrors(form, error, ([name]) => name === "name")) {
        void message.error(errorText(error, t("tokens.createFailed")));
      }
    },
  });
  // The server refuses tokens made with a token: sign in with a password to make one.
  if (me.data?.auth === "token") {
    return <Alert type="info" showIcon title={t("tokens.viaToken")} style={{ marginBottom: 16 }} />;
  }
  return (
    <Card
      title={<h2 style={{ fontSize: 16, margin: 0 }}>{t("tokens.createTitle")}</h2>}
      style={{ marginBottom: 16 }}
    >
      <Form
        form={form}
        layout="inline"
        style={{ rowGap: 8 }}
        initialValues={{ lifetime: 90 }}
        onFinish={(values) => create.mutate(values)}
      >
        <Form.Item
          name="name"
          label={t("tokens.name")}
          rules={[{ required: true, whitespace: true, message: t("tokens.nameRequired") }]}
        >
          <Input maxLength={100} style={{ width: 240, maxWidth: "100%" }} />
        </Form.Item>
        <Form.Item name="lifetime" label={t("tokens.lifetime")}>
          <Select
            style={{ width: 160 }}
            options={[
              ...LIFETIMES.map((days) => ({
                value: days,
                label: t("tokens.days", { count: days }),
              })),
              { value: "never", label: t("tokens.never") },
            ]}
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<KeyOutlined />}
            loading={create.isPending}
          >
            {t("tokens.create")}
          </Button>
        </Form.Item>
      </Form>
    </Card>
  );
}

function TokenList() {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const list = useCursorList([...TOKENS_KEY], (cursor) =>
    unwrap(api.GET("/api/v1/tokens", { params: { query: { limit: 50, cursor } } })),
  );
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(api.DELETE("/api/v1/tokens/{token_id}", { params: { path: { token_id: id } } })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: TOKENS_KEY });
      void message.success(t("tokens.revoked"));
    },
    onError: (error) => void message.error(errorText(error, t("tokens.revokeFailed"))),
  });
  const tones = { active: "success", revoked: "neutral", expired: "warning" } as const;
  const columns: ColumnsType<ApiTokenOut> = [
    { title: t("tokens.name"), dataIndex: "name", key: "name" },
    { title: t("tokens.hint"), key: "hint", render: (_, token) => <code>tsk_…{token.hint}</code> },
    {
      title: t("tokens.status"),
      key: "status",
      render: (_, token) => {
        const state = tokenState(token);
        return <StatusTag tone={tones[state]}>{t(`tokens.state.${state}`)}</StatusTag>;
      },
    },
    { title: t("tokens.created"), key: "created", render: (_, x) => formatDate(x.created_at) },
    {
      title: t("tokens.expires"),
      key: "expires",
      render: (_, x) => (x.expires_at ? formatDate(x.expires_at) : t("tokens.never")),
    },
    {
      title: t("tokens.lastUsed"),
      key: "used",
      render: (_, x) => (x.last_used_at ? formatDate(x.last_used_at) : t("tokens.unused")),
    },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, token) =>
        tokenState(token) === "active" && (
          <ConfirmAction
            label={t("tokens.revoke")}
            title={t("tokens.revokeTitle", { name: token.name })}
            description={t("tokens.revokeBody")}
            onConfirm={() => revoke.mutateAsync(token.id)}
          />
        ),
    },
  ];
  return <PagedTable list={list} rowKey="id" columns={columns} emptyText={t("tokens.empty")} />;
}
