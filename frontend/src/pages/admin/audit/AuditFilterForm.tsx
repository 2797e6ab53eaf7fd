import { AutoComplete, Button, DatePicker, Form, Input, Select, Space } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import { memberLabel, useMembers } from "../../../app/members";
import type { AuditFilters } from "./filters";

// What the platform writes (row changes by its trigger, and named events); others can be typed.
export const KNOWN_ACTIONS = [
  "create",
  "update",
  "delete",
  "login",
  "login_failed",
  "logout",
  "module_enabled",
  "module_disabled",
  "module_purged",
  "purge",
  "merge",
];

interface FormValues {
  actor?: string;
  action?: string;
  recordType?: string;
  recordId?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

function toForm(filters: AuditFilters): FormValues {
  return {
    actor: filters.actor,
    action: filters.action,
    recordType: filters.recordType,
    recordId: filters.recordId,
    range:
      filters.from || filters.to
        ? [filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]
        : null,
  };
}

export function fromForm(values: FormValues): AuditFilters {
  const [from, to] = values.range ?? [];
  return {
    actor: values.actor || undefined,
    action: values.action?.trim() || undefined,
    recordType: values.recordType?.trim() || undefined,
    recordId: values.recordType?.trim() ? values.recordId?.trim() || undefined : undefined,
    from: from ? from.format("YYYY-MM-DD") : undefined,
    to: to ? to.format("YYYY-MM-DD") : undefined,
  };
}

/** Who, what, which record, when: applied on submit, cleared by Reset. */
export function AuditFilterForm({
  value,
  onChange,
}: {
  value: AuditFilters;
  onChange: (filters: AuditFilters) => void;
}) {
  const { t } = useTranslation("admin");
  const [form] = Form.useForm<FormValues>();
  const members = useMembers();
  const recordType = Form.useWatch("recordType", form);

  // Follow the address (back, forward, a shared link), but only when the filters there change:
  // an effect on every render would wipe what the reader is typing.
  const applied = JSON.stringify(value);
  useEffect(() => {
    form.setFieldsValue(toForm(JSON.parse(applied) as AuditFilters));
  }, [applied, form]);

  return (
    <Form
      form={form}
      layout="vertical"
      role="search"
      aria-label={t("audit.filters")}
      initialValues={toForm(value)}
      onFinish={(values) => onChange(fromForm(values))}
      style={{
        display: "grid",
        gridTemplateColumns: "repeat(auto-fill, minmax(200px, 1fr))",
        columnGap: 12,
        alignItems: "end",
      }}
    >
      <Form.Item name="actor" label={t("audit.actor")}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: "label" }}
          loading={members.isLoading}
          placeholder={t("audit.anyone")}
          options={(members.data ?? []).map((m) => ({ value: m.user_id, label: memberLabel(m) }))}
        />
      </Form.Item>
      <Form.Item name="action" label={t("audit.action")}>
        <AutoComplete
          allowClear
          placeholder={t("audit.anyAction")}
          options={KNOWN_ACTIONS.map((action) => ({ value: action }))}
          showSearch={{
            filterOption: (input, option) =>
              String(option?.value ?? "").includes(input.toLowerCase()),
          }}
        />
      </Form.Item>
      <Form.Item name="recordType" label={t("audit.recordType")} extra={t("audit.recordTypeHelp")}>
        <Input allowClear placeholder="crm_deal" />
      </Form.Item>
      <Form.Item name="recordId" label={t("audit.recordId")}>
        <Input allowClear disabled={!recordType?.trim()} />
      </Form.Item>
      <Form.Item name="range" label={t("audit.dates")}>
        <DatePicker.RangePicker
          allowEmpty={[true, true]}
          style={{ width: "100%" }}
          aria-label={t("audit.dates")}
        />
      </Form.Item>
      <Form.Item>
        <Space>
          <Button type="primary" htmlType="submit">
            {t("audit.apply")}
          </Button>
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue(toForm({}));
              onChange({});
            }}
          >
            {t("audit.reset")}
          </Button>
        </Space>
      </Form.Item>
    </Form>
  );
}
