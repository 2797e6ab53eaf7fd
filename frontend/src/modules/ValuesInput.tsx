import { Card, Descriptions, Skeleton, Typography } from "antd";
import dayjs, { type Dayjs } from "dayjs";
import { useTranslation } from "react-i18next";

import { ErrorNotice } from "../components/ErrorNotice";
import { defsOf, inputMeta, type FieldDef } from "./designed";
import { EnumTag, FieldValue } from "./format";
import { FieldInput } from "./FormView";
import { fieldOf, resourceNamed, useResources } from "./metadata";
import { useRecord } from "./records";
import type { FieldMeta, RecordData, ResourceMeta } from "./types";

/**
 * The record whose field list defines a values field's inputs: the one its ``schema_from``
 * reference chooses (a request's form). Loaded once per record, shared with its pickers.
 */
function useSchema(resource: ResourceMeta, field: FieldMeta, chosen: unknown) {
  const resources = useResources();
  const source = field.schema_from ? fieldOf(resource, field.schema_from) : undefined;
  const target = resourceNamed(resources.data, source?.reference ?? undefined);
  const id = typeof chosen === "string" && chosen ? chosen : undefined;
  const record = useRecord(id ? target : undefined, id);
  return { source, id, record, defs: defsOf(record.data, field.schema_field) };
}

/** A date as the API holds it ("2027-03-01") in and out of the date picker. */
const DAY = {
  getValueProps: (value: unknown) => ({ value: typeof value === "string" && value ? dayjs(value) : undefined }),
  normalize: (value: Dayjs | null | undefined) => (value ? value.format("YYYY-MM-DD") : null),
};

/**
 * A values field in a form: one input per field the chosen record defines, in its order, each
 * at ``[values, key]`` (so the API's ``values.<key>`` errors land there), required ones marked.
 */
export function ValuesFields(props: {
  resource: ResourceMeta;
  field: FieldMeta;
  values: Record<string, unknown>;
  disabled: boolean;
}) {
  const { resource, field, disabled } = props;
  const { t } = useTranslation("modules");
  const schema = useSchema(resource, field, props.values[field.schema_from ?? ""]);
  let body: React.ReactNode;
  if (!schema.id) {
    body = <Typography.Text type="secondary">{t("values.chooseFirst", { field: schema.source?.label ?? "" })}</Typography.Text>;
  } else if (schema.record.isPending) {
    body = <Skeleton active paragraph={{ rows: 2 }} />;
  } else if (schema.record.isError) {
    body = <ErrorNotice error={schema.record.error} retry={() => void schema.record.refetch()} />;
  } else if (schema.defs.length === 0) {
    body = <Typography.Text type="secondary">{t("values.noFields")}</Typography.Text>;
  } else {
    body = schema.defs.map((def) => (
      <FieldInput
        key={def.key}
        field={inputMeta(def, field)}
        name={[field.name, def.key]}
        disabled={disabled}
        reference={def.type === "member" ? inputMeta(def, field).reference ?? undefined : undefined}
        multiple={def.type === "multi_select"}
        item={def.type === "date" ? DAY : undefined}
      />
    ));
  }
  return (
    <Card size="small" title={field.label} style={{ marginBottom: 16 }}>
      {body}
    </Card>
  );
}

/** One designed field's value on a record's page, drawn as its type is. */
function DesignedValue(props: { def: FieldDef; field: FieldMeta; record: RecordData; value: unknown }) {
  const { def, field, record, value } = props;
  const { t } = useTranslation("modules");
  if (def.type === "multi_select" && Array.isArray(value)) {
    const options = def.options ?? [];
    return <>{value.map((option) => <EnumTag key={String(option)} options={options} value={String(option)} />)}</>;
  }
  if (def.type === "file" && typeof value === "string" && value) {
    return field.download_endpoint ? (
      <a href={field.download_endpoint.replace("{id}", encodeURIComponent(record.id)).replace("{file}", encodeURIComponent(value))} download>
        {t("upload.download")}
      </a>
    ) : (
      <>{t("upload.attached")}</>
    );
  }
  const shown = inputMeta(def, field);
  return <FieldValue field={shown} record={{ id: record.id, [shown.name]: value }} />;
}

/** A values field on a record's page: each designed field, labelled, in the form's order. */
export function ValuesDetail({ resource, field, record }: { resource: ResourceMeta; field: FieldMeta; record: RecordData }) {
  const { t } = useTranslation("modules");
  const schema = useSchema(resource, field, record[field.schema_from ?? ""]);
  const values = (record[field.name] ?? {}) as Record<string, unknown>;
  let body: React.ReactNode;
  if (schema.record.isPending && schema.id) {
    body = <Skeleton active paragraph={{ rows: 2 }} />;
  } else if (schema.record.isError) {
    body = <ErrorNotice error={schema.record.error} retry={() => void schema.record.refetch()} />;
  } else if (schema.defs.length === 0) {
    body = <Typography.Text type="secondary">{t("values.noFields")}</Typography.Text>;
  } else {
    body = (
      <Descriptions
        bordered
        size="small"
        column={1}
        items={schema.defs.map((def) => ({
          key: def.key,
          label: def.label,
          children: <DesignedValue def={def} field={field} record={record} value={values[def.key]} />,
        }))}
      />
    );
  }
  return (
    <section aria-label={field.label} style={{ marginBottom: 24 }}>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {field.label}
      </Typography.Title>
      {body}
    </section>
  );
}
