import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Descriptions, Drawer, Space, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { AdminPage } from "../shared/AdminPage";
import { ConfirmAction } from "../shared/ConfirmAction";
import { useCursorList } from "../shared/cursor";
import { errorText } from "../shared/fieldErrors";
import { useFormatDate } from "../shared/format";
import { PagedTable } from "../shared/PagedTable";

type DeadLetterOut = components["schemas"]["DeadLetterOut"];
const LETTERS_KEY = ["admin", "dead-letters"] as const;

export default function DeadLettersPage() {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [inspecting, setInspecting] = useState<DeadLetterOut | null>(null);
  const list = useCursorList([...LETTERS_KEY], (cursor) =>
    unwrap(api.GET("/api/v1/events/dead-letters", { params: { query: { limit: 50, cursor } } })),
  );
  const done = async (text: string) => {
    setInspecting(null);
    await client.invalidateQueries({ queryKey: LETTERS_KEY });
    void message.success(text);
  };
  const retry = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.POST("/api/v1/events/dead-letters/{letter_id}/retry", {
          params: { path: { letter_id: id } },
        }),
      ),
    onSuccess: () => done(t("deadLetters.retried")),
    onError: (error) => void message.error(errorText(error, t("deadLetters.retryFailed"))),
  });
  const discard = useMutation({
    mutationFn: (id: string) =>
      unwrap(
        api.DELETE("/api/v1/events/dead-letters/{letter_id}", {
          params: { path: { letter_id: id } },
        }),
      ),
    onSuccess: () => done(t("deadLetters.discarded")),
    onError: (error) => void message.error(errorText(error, t("deadLetters.discardFailed"))),
  });

  const actions = (letter: DeadLetterOut) => (
    <Space wrap>
      <Button
        type="primary"
        loading={retry.isPending && retry.variables === letter.id}
        onClick={() => retry.mutate(letter.id)}
      >
        {t("deadLetters.retry")}
      </Button>
      <ConfirmAction
        label={t("deadLetters.discard")}
        title={t("deadLetters.discardTitle")}
        description={t("deadLetters.discardBody")}
        onConfirm={() => discard.mutateAsync(letter.id)}
      />
    </Space>
  );

  const columns: ColumnsType<DeadLetterOut> = [
    { title: t("deadLetters.failedAt"), key: "failed", render: (_, l) => formatDate(l.failed_at) },
    { title: t("deadLetters.event"), key: "event", render: (_, l) => <code>{l.event_type}</code> },
    { title: t("deadLetters.handler"), key: "handler", render: (_, l) => <code>{l.handler}</code> },
    { title: t("deadLetters.attempts"), dataIndex: "attempts", key: "attempts" },
    {
      title: t("deadLetters.error"),
      key: "error",
      render: (_, l) => (
        <Typography.Text type="danger" ellipsis style={{ maxWidth: 280 }}>
          {l.error}
        </Typography.Text>
      ),
    },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, letter) => (
        <Space wrap>
          <Button onClick={() => setInspecting(letter)}>{t("deadLetters.inspect")}</Button>
          {actions(letter)}
        </Space>
      ),
    },
  ];

  return (
    <AdminPage title={t("deadLetters.title")} description={t("deadLetters.description")}>
      <PagedTable list={list} rowKey="id" columns={columns} emptyText={t("deadLetters.empty")} />
      <Drawer
        open={inspecting !== null}
        title={t("deadLetters.inspectTitle")}
        size="min(720px, 100vw)"
        onClose={() => setInspecting(null)}
        footer={inspecting && actions(inspecting)}
        destroyOnHidden
      >
        {inspecting && <LetterDetail letter={inspecting} />}
      </Drawer>
    </AdminPage>
  );
}

function LetterDetail({ letter }: { letter: DeadLetterOut }) {
  const { t } = useTranslation("admin");
  const formatDate = useFormatDate();
  return (
    <>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          {
            key: "type",
            label: t("deadLetters.event"),
            children: <code>{letter.event_type}</code>,
          },
          {
            key: "handler",
            label: t("deadLetters.handler"),
            children: <code>{letter.handler}</code>,
          },
          {
            key: "event",
            label: t("deadLetters.eventId"),
            children: <code>{letter.event_id}</code>,
          },
          {
            key: "occurred",
            label: t("deadLetters.occurredAt"),
            children: formatDate(letter.occurred_at),
          },
          {
            key: "failed",
            label: t("deadLetters.failedAt"),
            children: formatDate(letter.failed_at),
          },
          { key: "attempts", label: t("deadLetters.attempts"), children: letter.attempts },
        ]}
      />
      <Typography.Title level={2} style={{ fontSize: 16, marginTop: 16 }}>
        {t("deadLetters.error")}
      </Typography.Title>
      <pre
        style={{
          whiteSpace: "pre-wrap",
          wordBreak: "break-word",
          background: "#fff1f0",
          padding: 12,
          borderRadius: 6,
        }}
      >
        {letter.error}
      </pre>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t("deadLetters.payload")}
      </Typography.Title>
      <pre
        style={{
          whiteSpace: "pre-wrap",
          wordBreak: "break-word",
          background: "#f5f5f5",
          padding: 12,
          borderRadius: 6,
        }}
      >
        {JSON.stringify(letter.payload, null, 2)}
      </pre>
    </>
  );
}
