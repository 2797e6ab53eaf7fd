import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Form, Modal, Popconfirm } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, request } from "../../api/client";
import { FieldInput } from "../FormView";
import type { FormValues } from "../formValues";
import { toApiValue } from "../formValues";
import { invalidateLists, recordKey } from "../records";
import type { ActionMeta, RecordData, ResourceMeta } from "../types";
import { approvalsKey } from "./Approvals";

/** The actions whose conditions the record meets now (each field has one of the values). */
export function availableActions(resource: ResourceMeta, record: RecordData): ActionMeta[] {
  return resource.actions.filter((action) =>
    action.when.every((condition) => {
      const value = record[condition.field];
      return value !== null && value !== undefined && condition.values.includes(String(value));
    }),
  );
}

/** The URL an action posts to, for this record. */
export function actionUrl(action: ActionMeta, id: string): string {
  return action.endpoint.replaceAll("{id}", encodeURIComponent(id));
}

/** The record's own actions as buttons: submit, withdraw, pay … (the plugin's routes). */
export function RecordActions({ resource, record }: { resource: ResourceMeta; record: RecordData }) {
  return (
    <>
      {availableActions(resource, record).map((action) => (
        <ActionButton key={action.name} resource={resource} record={record} action={action} />
      ))}
    </>
  );
}

function useRunAction(resource: ResourceMeta, record: RecordData, action: ActionMeta) {
  const { t } = useTranslation("modules");
  const { message } = App.useApp();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body?: Record<string, unknown>) => request<unknown>("POST", actionUrl(action, record.id), { body }),
    onSuccess: () => {
      void message.success(t("actions.done", { action: action.label }));
      void client.invalidateQueries({ queryKey: recordKey(resource.name, record.id) });
      void client.invalidateQueries({ queryKey: approvalsKey(resource.name, record.id) });
      void invalidateLists(client, resource.name);
    },
  });
}

function ActionButton({ resource, record, action }: { resource: ResourceMeta; record: RecordData; action: ActionMeta }) {
  const { t } = useTranslation("modules");
  const { message } = App.useApp();
  const run = useRunAction(resource, record, action);
  const failed = (error: unknown) =>
    void message.error(error instanceof ApiError ? error.message : t("actions.failed", { action: action.label }));
  if (action.body_fields.length > 0) return <ActionForm action={action} run={run} />;
  const button = (onClick?: () => void) => (
    <Button danger={action.danger} loading={run.isPending} onClick={onClick}>
      {action.label}
    </Button>
  );
  if (!action.confirm) return button(() => run.mutate(undefined, { onError: failed }));
  return (
    <Popconfirm
      title={action.confirm}
      okText={action.label}
      okButtonProps={{ danger: action.danger }}
      cancelText={t("form.cancel")}
      onConfirm={() => run.mutateAsync(undefined).catch(failed)}
    >
      {button()}
    </Popconfirm>
  );
}

/** An action that takes a few values: a small form in a dialog, the server's refusal shown in it. */
function ActionForm({ action, run }: { action: ActionMeta; run: ReturnType<typeof useRunAction> }) {
  const { t } = useTranslation("modules");
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [form] = Form.useForm<FormValues>();
  const close = () => {
    setOpen(false);
    setProblem(null);
    form.resetFields();
  };
  const send = async () => {
    const values = await form.validateFields();
    const body: Record<string, unknown> = {};
    for (const field of action.body_fields) {
      const value = toApiValue(field, values[field.name]);
      if (value !== null) body[field.name] = value;
    }
    setProblem(null);
    try {
      await run.mutateAsync(body);
      close();
    } catch (error) {
      if (!(error instanceof ApiError)) return setProblem(t("actions.failed", { action: action.label }));
      const known = new Set(action.body_fields.map((field) => field.name));
      const byField = Object.entries(error.fieldErrors()).filter(([name]) => known.has(name));
      form.setFields(byField.map(([name, text]) => ({ name, errors: [text] })));
      if (byField.length === 0) setProblem(error.message);
    }
  };
  return (
    <>
      <Button danger={action.danger} onClick={() => setOpen(true)}>
        {action.label}
      </Button>
      <Modal
        open={open}
        title={action.confirm ?? action.label}
        okText={action.label}
        okButtonProps={{ danger: action.danger, loading: run.isPending }}
        cancelText={t("form.cancel")}
        onOk={() => void send().catch(() => undefined)}
        onCancel={close}
        forceRender
      >
        <Form form={form} layout="vertical" name={`action-${action.name}`}>
          {action.body_fields.map((field) => (
            <FieldInput key={field.name} field={field} reference={field.reference ?? undefined} disabled={false} />
          ))}
        </Form>
        {problem ? <Alert type="error" showIcon title={problem} /> : null}
      </Modal>
    </>
  );
}
