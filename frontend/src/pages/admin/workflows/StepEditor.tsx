import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from "@ant-design/icons";
import { Button, Card, Form, Input, InputNumber, Radio, Select, Space, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { newStep, type RecordTypeOut, type StepForm } from "./steps";

export interface Choice {
  value: string;
  label: string;
}

/**
 * The steps of a workflow, in order: who approves (named people, holders of a role, or the
 * requester's manager), whether one or all must, when the step applies, and its time limit.
 */
export function StepEditor({
  recordType,
  people,
  roles,
}: {
  recordType?: RecordTypeOut;
  /** Members, by user id. */
  people: Choice[];
  /** Built-in role names and custom role ids. */
  roles: Choice[];
}) {
  const { t } = useTranslation("admin");
  return (
    <Form.List
      name="steps"
      rules={[
        {
          validator: async (_, steps: StepForm[] | undefined) => {
            if (!steps || steps.length === 0) throw new Error(t("workflows.needsStep"));
          },
        },
      ]}
    >
      {(fields, { add, remove, move }, { errors }) => (
        <>
          {fields.map((field, index) => (
            <Card
              key={field.key}
              size="small"
              style={{ marginBottom: 12 }}
              title={
                <Typography.Title level={3} style={{ fontSize: 15, margin: 0 }}>
                  {t("workflows.stepN", { n: index + 1 })}
                </Typography.Title>
              }
              extra={
                <Space size={4}>
                  <Button
                    size="small"
                    icon={<ArrowUpOutlined />}
                    disabled={index === 0}
                    onClick={() => move(index, index - 1)}
                    aria-label={t("workflows.moveUp", { n: index + 1 })}
                  />
                  <Button
                    size="small"
                    icon={<ArrowDownOutlined />}
                    disabled={index === fields.length - 1}
                    onClick={() => move(index, index + 1)}
                    aria-label={t("workflows.moveDown", { n: index + 1 })}
                  />
                  <Button
                    size="small"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t("workflows.removeStep", { n: index + 1 })}
                  />
                </Space>
              }
            >
              <StepFields name={field.name} recordType={recordType} people={people} roles={roles} />
            </Card>
          ))}
          <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(newStep())}>
            {t("workflows.addStep")}
          </Button>
          <Form.ErrorList errors={errors} />
        </>
      )}
    </Form.List>
  );
}

function StepFields({
  name,
  recordType,
  people,
  roles,
}: {
  name: number;
  recordType?: RecordTypeOut;
  people: Choice[];
  roles: Choice[];
}) {
  const { t } = useTranslation("admin");
  const form = Form.useFormInstance();
  const approvers = Form.useWatch(["steps", name, "approvers"], form) as StepForm["approvers"];
  const limit = Form.useWatch(["steps", name, "limit"], form) as StepForm["limit"];
  const limited = limit !== undefined && limit !== null;
  const fieldsHelp = recordType?.fields.length
    ? t("workflows.conditionFields", {
        fields: recordType.fields
          .map((f) => `${f.name} (${t(`fieldType.${f.type}`, f.type)})`)
          .join(", "),
      })
    : undefined;
  return (
    <>
      <Form.Item
        name={[name, "name"]}
        label={t("workflows.stepName")}
        rules={[{ required: true, whitespace: true, message: t("workflows.stepNameRequired") }]}
      >
        <Input maxLength={120} />
      </Form.Item>
      <Form.Item name={[name, "approvers"]} label={t("workflows.approvers")}>
        <Radio.Group
          optionType="button"
          options={(["manager", "role", "users"] as const).map((kind) => ({
            value: kind,
            label: t(`workflows.approverKind.${kind}`),
          }))}
        />
      </Form.Item>
      {approvers === "users" && (
        <Form.Item
          name={[name, "users"]}
          label={t("workflows.users")}
          rules={[{ required: true, type: "array", min: 1, message: t("workflows.usersRequired") }]}
        >
          <Select mode="multiple" showSearch={{ optionFilterProp: "label" }} options={people} />
        </Form.Item>
      )}
      {approvers === "role" && (
        <Form.Item
          name={[name, "role"]}
          label={t("workflows.role")}
          rules={[{ required: true, message: t("workflows.roleRequired") }]}
        >
          <Select options={roles} />
        </Form.Item>
      )}
      {approvers !== "manager" && (
        <Form.Item name={[name, "mode"]} label={t("workflows.mode")}>
          <Radio.Group
            options={[
              { value: "any", label: t("workflows.modeAny") },
              { value: "all", label: t("workflows.modeAll") },
            ]}
          />
        </Form.Item>
      )}
      <Form.Item
        name={[name, "condition"]}
        label={t("workflows.condition")}
        extra={
          <>
            {t("workflows.conditionHelp")} {fieldsHelp}
          </>
        }
      >
        <Input.TextArea
          maxLength={1000}
          autoSize={{ minRows: 1, maxRows: 4 }}
          placeholder="amount > 10000 and department in ['sales', 'ops']"
          style={{ fontFamily: "monospace" }}
        />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item
          name={[name, "limit"]}
          label={t("workflows.timeLimit")}
          extra={t("workflows.timeLimitHelp")}
        >
          <InputNumber min={1} precision={0} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item name={[name, "limitUnit"]} label={t("workflows.unit")}>
          <Select
            style={{ width: 120 }}
            options={[
              { value: "hours", label: t("workflows.hours") },
              { value: "minutes", label: t("workflows.minutes") },
            ]}
          />
        </Form.Item>
        {limited && (
          <Form.Item
            name={[name, "escalateTo"]}
            label={t("workflows.escalateTo")}
            rules={[{ required: true, message: t("workflows.escalateRequired") }]}
          >
            <Select
              style={{ minWidth: 220 }}
              showSearch={{ optionFilterProp: "label" }}
              options={[{ value: "manager", label: t("workflows.approversManager") }, ...people]}
            />
          </Form.Item>
        )}
      </Space>
    </>
  );
}
