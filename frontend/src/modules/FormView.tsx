import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Col, DatePicker, Flex, Form, Input, InputNumber, Row, Select, Switch } from "antd";
import type { FormInstance, FormItemProps } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";

import { ApiError, request } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { PageLoading } from "../components/PageLoading";
import { PageHeader, Screen } from "./common";
import { errorPath } from "./designed";
import { FieldListInput } from "./FieldListInput";
import { lineErrorPlace } from "./lines";
import { LinesInput } from "./LinesInput";
import { optionChoices } from "./format";
import { formRows, isEditable, pickerScope, toApiBody, toFormValues, type FormValues } from "./formValues";
import { referenceOf, useResources } from "./metadata";
import { invalidateLists, recordKey, recordUrl, titleOf, useRecord } from "./records";
import { FileInput } from "./FileInput";
import { RecordPicker } from "./references";
import type { FieldMeta, RecordData, ResourceMeta } from "./types";
import { ValuesFields } from "./ValuesInput";

interface Props {
  resource: ResourceMeta;
  base: string;
  /** The record to change; none for a new one. */
  id?: string;
}

/** The generic form: new records (POST) and changes (PATCH of what changed). */
export default function FormView({ resource, base, id }: Props) {
  const record = useRecord(id ? resource : undefined, id);
  if (id && record.isPending) return <PageLoading />;
  if (id && record.isError) {
    return (
      <Screen>
        <ErrorNotice error={record.error} retry={() => void record.refetch()} />
      </Screen>
    );
  }
  return <RecordForm resource={resource} base={base} record={id ? record.data : undefined} />;
}

/** Values a link can fill in for a new record: ?account_id=… from an account's page. */
function prefill(resource: ResourceMeta, params: URLSearchParams): Partial<RecordData> {
  const values: Record<string, unknown> = {};
  for (const field of resource.fields) {
    const value = params.get(field.name);
    if (value !== null && !field.read_only) values[field.name] = value;
  }
  return values as Partial<RecordData>;
}

export function RecordForm(props: { resource: ResourceMeta; base: string; record?: RecordData }) {
  const { resource, base, record } = props;
  const { t } = useTranslation("modules");
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const resources = useResources();
  const editing = record !== undefined;
  const initial = useMemo(
    () => toFormValues(resource, record ?? prefill(resource, params)),
    [resource, record, params],
  );

  const save = useMutation({
    mutationFn: (values: FormValues) =>
      editing
        ? request<RecordData>("PATCH", recordUrl(resource, record.id), { body: toApiBody(resource, values, record) })
        : request<RecordData>("POST", resource.endpoint, { body: toApiBody(resource, values) }),
    onSuccess: (saved) => {
      client.setQueryData(recordKey(resource.name, saved.id), saved);
      void invalidateLists(client, resource.name);
      void message.success(editing ? t("form.saved") : t("form.created", { title: titleOf(resource, saved) }));
      navigate(`${base}/${encodeURIComponent(saved.id)}`);
    },
    onError: (error) =>
      setProblem(showProblem(form, resource, error, t("form.failed"), (number, text) => t("lines.onLine", { number, message: text }))),
  });

  const title = editing
    ? t("form.editTitle", { title: titleOf(resource, record) })
    : t("form.newTitle", { resource: resource.label });
  return (
    <Screen>
      <PageHeader title={title} />
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={(values) => {
          setProblem(null);
          save.mutate(values);
        }}
        onValuesChange={(changed) => clearDependants(form, resource, resources.data, Object.keys(changed))}
        style={{ maxWidth: 960 }}
        scrollToFirstError
      >
        {problem ? <Alert type="error" showIcon message={problem} style={{ marginBottom: 16 }} role="alert" /> : null}
        <FormFields resource={resource} form={form} editing={editing} />
        <Flex gap={8} wrap>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {editing ? t("form.save") : t("form.create")}
          </Button>
          <Link to={editing ? `${base}/${encodeURIComponent(record.id)}` : base}>
            <Button>{t("form.cancel")}</Button>
          </Link>
        </Flex>
      </Form>
    </Screen>
  );
}

/**
 * The API's problem at the fields it names (problem details' ``errors``); what names no field
 * of the form comes back as the form's own message.
 */
export function showProblem(
  form: FormInstance<FormValues>,
  resource: ResourceMeta,
  error: unknown,
  fallback: string,
  /** An error of one line the editor has no cell for, as the lines' own error ("Line 3: …"). */
  onLine: (line: number, message: string) => string = (line, message) => `${line}: ${message}`,
): string | null {
  if (!(error instanceof ApiError)) return fallback;
  const fields = new Map(formRows(resource).flat().map((field) => [field.name, field]));
  const shown = new Map([...fields].map(([name, field]) => [name, field.type]));
  const byField = Object.entries(error.fieldErrors()).map(([name, text]) => {
    // ``fields[2].key`` at that row's key, ``lines[2].quantity`` at that line's quantity,
    // ``values.cost`` at the cost input.
    const path = errorPath(name, (field) => shown.get(field));
    const field = fields.get(String(path[0]));
    if (field?.type !== "lines") return { name, text, path };
    const place = lineErrorPlace(field, path);
    return { name, text: place.line ? onLine(place.line, text) : text, path: place.path };
  });
  const placed = byField.filter(({ path }) => shown.has(String(path[0])));
  // Several errors may land on one place (two lines' problems on the lines as a whole).
  const at = new Map<string, { path: (string | number)[]; errors: string[] }>();
  for (const { path, text } of placed) {
    const key = JSON.stringify(path);
    at.set(key, { path, errors: [...(at.get(key)?.errors ?? []), text] });
  }
  form.setFields([...at.values()].map(({ path, errors }) => ({ name: path.length === 1 ? path[0] : path, errors })));
  const elsewhere = byField.filter(({ path }) => !shown.has(String(path[0])));
  if (placed.length > 0 && elsewhere.length === 0) return null;
  if (elsewhere.length > 0) return elsewhere.map(({ name, text }) => `${name}: ${text}`).join("; ");
  return error.message;
}

/** A scoped picker's value goes when what scopes it changes (a stage of another pipeline). */
function clearDependants(
  form: FormInstance<FormValues>,
  resource: ResourceMeta,
  resources: readonly ResourceMeta[] | undefined,
  changed: string[],
) {
  const values = form.getFieldsValue(true) as FormValues;
  for (const field of resource.fields) {
    // Values follow the record that defines them: another one, other inputs.
    if (field.type === "values" && field.schema_from && changed.includes(field.schema_from)) {
      form.setFieldValue(field.name, {});
    }
    if (field.type !== "reference") continue;
    const { dependsOn } = pickerScope(resource, field, values, resources);
    if (dependsOn.some((name) => changed.includes(name))) form.setFieldValue(field.name, null);
  }
}

function FormFields(props: { resource: ResourceMeta; form: FormInstance<FormValues>; editing: boolean }) {
  const { resource, form, editing } = props;
  const resources = useResources();
  const values = (Form.useWatch([], form) ?? {}) as FormValues;
  return (
    <>
      {formRows(resource).map((row, index) => (
        <Row gutter={16} key={index}>
          {row.map((field) => (
            <Col key={field.name} xs={24} md={Math.floor(24 / row.length)}>
              {field.type === "field_list" ? (
                <FieldListInput field={field} disabled={!isEditable(field, editing)} />
              ) : field.type === "lines" ? (
                <LinesInput field={field} disabled={!isEditable(field, editing)} currency={values.currency} />
              ) : field.type === "values" ? (
                <ValuesFields resource={resource} field={field} values={values} disabled={!isEditable(field, editing)} />
              ) : (
              <FieldInput
                field={field}
                reference={referenceOf(field, values)}
                disabled={!isEditable(field, editing)}
                scope={field.type === "reference" ? pickerScope(resource, field, values, resources.data).scope : undefined}
              />
              )}
            </Col>
          ))}
        </Row>
      ))}
    </>
  );
}

/** One labelled input, by the field's type; required fields are marked and checked. */
export function FieldInput(props: {
  field: FieldMeta;
  disabled: boolean;
  /** What a reference points at here (its own, or what a sibling field says). */
  reference?: string;
  scope?: Record<string, string | number | boolean | undefined>;
  /** Where the value sits in the form, when not at the field's name (``[values, key]``). */
  name?: (string | number)[];
  /** An enum taking several of its options. */
  multiple?: boolean;
  /** How the value goes in and out of the input, when the form holds it otherwise. */
  item?: Pick<FormItemProps, "getValueProps" | "normalize">;
}) {
  const { t } = useTranslation("modules");
  const { field, disabled } = props;
  const rules = field.required && !disabled ? [{ required: true, message: t("form.required", { field: field.label }) }] : [];
  const { input, valuePropName } = fieldControl(field, { ...props, label: field.label });
  return (
    <Form.Item
      name={props.name ?? field.name}
      label={field.label}
      rules={rules}
      required={field.required}
      valuePropName={valuePropName}
      extra={field.help ?? undefined}
      {...props.item}
    >
      {input}
    </Form.Item>
  );
}

/**
 * The bare input of a field, by its type, and the prop its value goes in (``checked`` for a
 * switch): what a labelled form item and a cell of a line's table both draw.
 */
export function fieldControl(
  field: FieldMeta,
  props: {
    disabled: boolean;
    /** What assistive technology names the input (the field's label, or "Quantity (line 2)"). */
    label: string;
    reference?: string;
    scope?: Record<string, string | number | boolean | undefined>;
    multiple?: boolean;
  },
): { input: React.ReactNode; valuePropName: string } {
  const { disabled } = props;
  const common = { disabled, "aria-label": props.label };
  switch (field.type) {
    case "longtext":
      return { input: <Input.TextArea {...common} autoSize={{ minRows: 3, maxRows: 12 }} />, valuePropName: "value" };
    case "number":
      return { input: <InputNumber {...common} style={{ width: "100%" }} />, valuePropName: "value" };
    case "money":
      return { input: <InputNumber {...common} stringMode precision={2} min="0" style={{ width: "100%" }} />, valuePropName: "value" };
    case "date":
      return { input: <DatePicker {...common} style={{ width: "100%" }} />, valuePropName: "value" };
    case "datetime":
      return {
        input: <DatePicker {...common} showTime={{ format: "HH:mm" }} format="YYYY-MM-DD HH:mm" style={{ width: "100%" }} />,
        valuePropName: "value",
      };
    case "bool":
      return { input: <Switch {...common} />, valuePropName: "checked" };
    case "enum":
      return {
        input: (
          <Select
            {...common}
            mode={props.multiple ? "multiple" : undefined}
            allowClear={!field.required}
            options={optionChoices(field)}
          />
        ),
        valuePropName: "value",
      };
    case "reference":
      return {
        input: props.reference ? (
          <RecordPicker key={props.reference} reference={props.reference} disabled={disabled} aria-label={props.label} scope={props.scope} style={{ width: "100%" }} />
        ) : (
          // A reference whose record type is not chosen yet.
          <Select {...common} disabled options={[]} />
        ),
        valuePropName: "value",
      };
    case "file":
      return {
        input: field.upload_endpoint ? <FileInput endpoint={field.upload_endpoint} {...common} /> : <Input {...common} disabled />,
        valuePropName: "value",
      };
    default:
      return { input: <Input {...common} />, valuePropName: "value" };
  }
}
