import { Alert, Button, Form, Input, Select, Space, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../../../api/client";
import { errorText } from "../shared/fieldErrors";
import { StepEditor, type Choice } from "./StepEditor";
import {
  formPathOf,
  isEditorField,
  stepFromForm,
  type DefinitionForm,
  type RecordTypeOut,
  type StepIO,
} from "./steps";

export interface DefinitionBody {
  key?: string;
  record_type?: string;
  name: string;
  steps: StepIO[];
  guarded_fields: string[];
}

/**
 * A workflow's name, guarded fields and steps, saved as a whole (the server adds a version).
 * What the server refuses is shown at the field it names ("steps[1].condition" at the second
 * step's condition); anything else above the form.
 */
export function DefinitionEditor({
  isNew,
  initial,
  recordTypes,
  people,
  roles,
  onSubmit,
  onCancel,
}: {
  isNew: boolean;
  initial: DefinitionForm;
  recordTypes: RecordTypeOut[];
  people: Choice[];
  roles: Choice[];
  onSubmit: (body: DefinitionBody) => Promise<unknown>;
  onCancel: () => void;
}) {
  const { t } = useTranslation("admin");
  const [form] = Form.useForm<DefinitionForm>();
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const chosenType = Form.useWatch("recordType", form) ?? initial.recordType;
  const recordType = recordTypes.find((r) => r.record_type === chosenType);

  const submit = async (values: DefinitionForm) => {
    setProblem(null);
    setSaving(true);
    try {
      await onSubmit({
        ...(isNew ? { key: values.key?.trim(), record_type: values.recordType } : {}),
        name: values.name.trim(),
        steps: (values.steps ?? []).map(stepFromForm),
        guarded_fields: values.guardedFields ?? [],
      });
    } catch (error) {
      showProblem(error);
    } finally {
      setSaving(false);
    }
  };

  const showProblem = (error: unknown) => {
    const placed: { name: (string | number)[]; errors: string[] }[] = [];
    const unplaced: string[] = [];
    if (error instanceof ApiError) {
      for (const { field, message } of error.problem.errors ?? []) {
        const path = formPathOf(field);
        if (isEditorField(path)) placed.push({ name: path, errors: [message] });
        else unplaced.push(`${field}: ${message}`);
      }
    }
    // The paths come from the server at run time; isEditorField checked that the form has them.
    form.setFields(placed as Parameters<typeof form.setFields>[0]);
    if (placed.length > 0) {
      setProblem([t("workflows.fixFields"), ...unplaced].join(" "));
      const first = placed[0];
      if (first) form.scrollToField(first.name, { block: "center" });
    } else {
      setProblem(unplaced.join("; ") || errorText(error, t("workflows.saveFailed")));
    }
  };

  return (
    <Form<DefinitionForm>
      form={form}
      layout="vertical"
      initialValues={initial}
      onFinish={(values) => void submit(values)}
      scrollToFirstError
    >
      {problem && (
        <Alert type="error" showIcon title={problem} style={{ marginBottom: 16 }} role="alert" />
      )}
      {isNew && (
        <>
          <Form.Item
            name="recordType"
            label={t("workflows.recordType")}
            rules={[{ required: true, message: t("workflows.recordTypeRequired") }]}
          >
            <Select
              options={recordTypes.map((r) => ({
                value: r.record_type,
                label: `${r.label} (${r.record_type})`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="key"
            label={t("workflows.key")}
            extra={t("workflows.keyHelp")}
            rules={[
              { required: true, message: t("workflows.keyRequired") },
              { pattern: /^[a-z][a-z0-9_.-]{2,79}$/, message: t("workflows.keyInvalid") },
            ]}
          >
            <Input maxLength={80} />
          </Form.Item>
        </>
      )}
      <Form.Item
        name="name"
        label={t("workflows.name")}
        rules={[{ required: true, whitespace: true, message: t("workflows.nameRequired") }]}
      >
        <Input maxLength={120} />
      </Form.Item>
      <Form.Item
        name="guardedFields"
        label={t("workflows.guarded")}
        extra={t("workflows.guardedHelp")}
      >
        <Select
          mode="multiple"
          options={(recordType?.fields ?? []).map((f) => ({ value: f.name, label: f.name }))}
        />
      </Form.Item>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t("workflows.steps")}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t("workflows.stepsHelp")}</Typography.Paragraph>
      <StepEditor recordType={recordType} people={people} roles={roles} />
      <Space style={{ marginTop: 16, display: "flex", justifyContent: "flex-end" }}>
        <Button onClick={onCancel}>{t("common:action.cancel")}</Button>
        <Button type="primary" htmlType="submit" loading={saving}>
          {t("common:action.save")}
        </Button>
      </Space>
    </Form>
  );
}
