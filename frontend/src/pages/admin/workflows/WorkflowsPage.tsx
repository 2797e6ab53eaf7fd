import { PlusOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Drawer, Space, Tag, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import { memberLabel, useMembers } from "../../../app/members";
import { useRoles } from "../../../app/roles";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { PageLoading } from "../../../components/PageLoading";
import { AdminPage } from "../shared/AdminPage";
import { useCursorList } from "../shared/cursor";
import { errorText } from "../shared/fieldErrors";
import { DefinitionEditor, type DefinitionBody } from "./DefinitionEditor";
import type { Choice } from "./StepEditor";
import { definitionToForm, newStep, type DefinitionOut } from "./steps";
import { StatusTag } from "../shared/StatusTag";
import { PagedTable } from "../shared/PagedTable";

const DEFINITIONS_KEY = ["admin", "workflows"] as const;
const RECORD_TYPES_KEY = ["admin", "workflows", "record-types"] as const;

export default function WorkflowsPage() {
  const { t } = useTranslation("admin");
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<DefinitionOut | "new" | null>(null);
  const list = useCursorList([...DEFINITIONS_KEY, "list"], (cursor) =>
    unwrap(api.GET("/api/v1/workflow/definitions", { params: { query: { limit: 50, cursor } } })),
  );
  const recordTypes = useQuery({
    queryKey: RECORD_TYPES_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/workflow/record-types")),
  });
  const labelOf = (recordType: string) =>
    recordTypes.data?.find((r) => r.record_type === recordType)?.label ?? recordType;

  const switchActive = useMutation({
    mutationFn: (input: { id: string; active: boolean }) =>
      input.active
        ? unwrap(
            api.POST("/api/v1/workflow/definitions/{definition_id}/activate", {
              params: { path: { definition_id: input.id } },
            }),
          )
        : unwrap(
            api.POST("/api/v1/workflow/definitions/{definition_id}/deactivate", {
              params: { path: { definition_id: input.id } },
            }),
          ),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: DEFINITIONS_KEY });
      void message.success(t("workflows.switched"));
    },
    onError: (error) => void message.error(errorText(error, t("workflows.switchFailed"))),
  });

  const columns: ColumnsType<DefinitionOut> = [
    {
      title: t("workflows.name"),
      key: "name",
      render: (_, d) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{d.name}</Typography.Text>
          <Typography.Text type="secondary">
            <code>{d.key}</code>
          </Typography.Text>
        </Space>
      ),
    },
    { title: t("workflows.recordType"), key: "type", render: (_, d) => labelOf(d.record_type) },
    {
      title: t("workflows.status"),
      key: "active",
      render: (_, d) =>
        d.active ? (
          <StatusTag tone="success">{t("workflows.active")}</StatusTag>
        ) : (
          <Tag>{t("workflows.inactive")}</Tag>
        ),
    },
    { title: t("workflows.version"), key: "version", render: (_, d) => `v${d.version}` },
    {
      title: t("workflows.steps"),
      key: "steps",
      render: (_, d) => d.steps.map((s) => s.name).join(" → "),
    },
    {
      title: t("members.actions"),
      key: "actions",
      render: (_, d) => (
        <Space wrap>
          <Button onClick={() => setEditing(d)}>{t("common:action.edit")}</Button>
          <Button
            loading={switchActive.isPending && switchActive.variables?.id === d.id}
            onClick={() => switchActive.mutate({ id: d.id, active: !d.active })}
          >
            {d.active ? t("workflows.deactivate") : t("workflows.activate")}
          </Button>
        </Space>
      ),
    },
  ];

  const canCreate = (recordTypes.data?.length ?? 0) > 0;
  return (
    <AdminPage
      title={t("workflows.title")}
      description={t("workflows.description")}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={!canCreate}
          onClick={() => setEditing("new")}
        >
          {t("workflows.create")}
        </Button>
      }
    >
      <PagedTable
        list={list}
        rowKey="id"
        columns={columns}
        emptyText={canCreate ? t("workflows.empty") : t("workflows.noRecordTypes")}
        emptyAction={
          canCreate && (
            <Button type="primary" onClick={() => setEditing("new")}>
              {t("workflows.create")}
            </Button>
          )
        }
      />
      <Drawer
        open={editing !== null}
        title={
          editing === "new"
            ? t("workflows.create")
            : editing
              ? t("workflows.editTitle", { name: editing.name, version: editing.version })
              : ""
        }
        size="min(820px, 100vw)"
        onClose={() => setEditing(null)}
        destroyOnHidden
      >
        {editing !== null && <EditorLoader target={editing} onDone={() => setEditing(null)} />}
      </Drawer>
    </AdminPage>
  );
}

/** The editor once what it offers is loaded: record types, members, roles. */
function EditorLoader({ target, onDone }: { target: DefinitionOut | "new"; onDone: () => void }) {
  const { t } = useTranslation("admin");
  const { message } = App.useApp();
  const client = useQueryClient();
  const members = useMembers();
  const recordTypes = useQuery({
    queryKey: RECORD_TYPES_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/workflow/record-types")),
  });
  // Custom roles are offered when the member may see them; built-in roles always.
  const roles = useRoles();

  if (members.isLoading || recordTypes.isPending) return <PageLoading />;
  if (members.isError || recordTypes.isError) {
    return <ErrorNotice error={members.error ?? recordTypes.error} />;
  }
  const people: Choice[] = (members.data ?? []).map((m) => ({
    value: m.user_id,
    label: memberLabel(m),
  }));
  const roleChoices: Choice[] = [
    ...(["owner", "admin", "member"] as const).map((r) => ({ value: r, label: t(`role.${r}`) })),
    ...(roles.data?.custom ?? []).map((r) => ({ value: r.id, label: r.name })),
  ];
  const isNew = target === "new";
  const save = async (body: DefinitionBody) => {
    if (target === "new") {
      await unwrap(
        api.POST("/api/v1/workflow/definitions", {
          body: {
            key: body.key ?? "",
            record_type: body.record_type ?? "",
            name: body.name,
            steps: body.steps,
            guarded_fields: body.guarded_fields,
          },
        }),
      );
    } else {
      await unwrap(
        api.PUT("/api/v1/workflow/definitions/{definition_id}", {
          params: { path: { definition_id: target.id } },
          body: { name: body.name, steps: body.steps, guarded_fields: body.guarded_fields },
        }),
      );
    }
    await client.invalidateQueries({ queryKey: DEFINITIONS_KEY });
    void message.success(t("workflows.saved"));
    onDone();
  };
  return (
    <DefinitionEditor
      isNew={isNew}
      initial={
        target === "new"
          ? { name: "", guardedFields: [], steps: [newStep()] }
          : definitionToForm(target)
      }
      recordTypes={recordTypes.data}
      people={people}
      roles={roleChoices}
      onSubmit={save}
      onCancel={onDone}
    />
  );
}
