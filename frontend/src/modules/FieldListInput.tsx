import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Card, Col, Form, Input, Row, Select, Switch, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";

import { SELECT_TYPES, offeredTypes, type FieldDef } from "./designed";
import type { FieldMeta } from "./types";

/**
 * A ``field_list`` field's editor: one row per designed field (key, label, type, required,
 * options for the select types), added, removed and moved; the API's errors land on the cell
 * they name (``fields[2].key``).
 */
export function FieldListInput({ field, disabled }: { field: FieldMeta; disabled: boolean }) {
  const { t } = useTranslation("modules");
  const types = offeredTypes(field).map((type) => ({ value: type, label: t(`valueTypes.${type}`, { defaultValue: type }) }));
  return (
    <Form.Item label={field.label} required={field.required} extra={field.help ?? undefined}>
      <Form.List
        name={field.name}
        rules={
          field.required
            ? [
                {
                  validator: async (_, rows: unknown[] | undefined) => {
                    if (!rows || rows.length === 0) throw new Error(t("fieldList.atLeastOne"));
                  },
                },
              ]
            : []
        }
      >
        {(rows, { add, remove, move }, { errors }) => (
          <>
            {rows.map((row, index) => {
              const number = index + 1;
              return (
                <Card
                  key={row.key}
                  size="small"
                  style={{ marginBottom: 8 }}
                  title={t("fieldList.row", { number })}
                  extra={
                    <>
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowUpOutlined aria-hidden />}
                        aria-label={t("fieldList.up", { number })}
                        disabled={disabled || index === 0}
                        onClick={() => move(index, index - 1)}
                      />
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowDownOutlined aria-hidden />}
                        aria-label={t("fieldList.down", { number })}
                        disabled={disabled || index === rows.length - 1}
                        onClick={() => move(index, index + 1)}
                      />
                      <Button
                        type="text"
                        size="small"
                        danger
                        icon={<DeleteOutlined aria-hidden />}
                        aria-label={t("fieldList.remove", { number })}
                        disabled={disabled}
                        onClick={() => remove(index)}
                      />
                    </>
                  }
                >
                  <DefinitionRow name={row.name} number={number} types={types} disabled={disabled} listName={field.name} />
                </Card>
              );
            })}
            <Button
              type="dashed"
              icon={<PlusOutlined aria-hidden />}
              disabled={disabled}
              onClick={() => add({ key: "", label: "", type: "text", required: false })}
            >
              {t("fieldList.add")}
            </Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </Form.Item>
  );
}

function DefinitionRow(props: {
  name: number;
  number: number;
  listName: string;
  types: { value: string; label: string }[];
  disabled: boolean;
}) {
  const { t } = useTranslation("modules");
  const { name, number, disabled } = props;
  const type = Form.useWatch([props.listName, name, "type"]) as string | undefined;
  const label = (what: string) => `${t(`fieldList.${what}`)} (${t("fieldList.row", { number })})`;
  const required = (what: string) => [{ required: true, message: t("form.required", { field: t(`fieldList.${what}`) }) }];
  return (
    <Row gutter={12}>
      <Col xs={24} md={6}>
        <Form.Item name={[name, "key"]} label={t("fieldList.key")} rules={required("key")} extra={number === 1 ? t("fieldList.keyHelp") : undefined}>
          <Input aria-label={label("key")} disabled={disabled} />
        </Form.Item>
      </Col>
      <Col xs={24} md={8}>
        <Form.Item name={[name, "label"]} label={t("fieldList.label")} rules={required("label")}>
          <Input aria-label={label("label")} disabled={disabled} />
        </Form.Item>
      </Col>
      <Col xs={16} md={6}>
        <Form.Item name={[name, "type"]} label={t("fieldList.type")}>
          <Select aria-label={label("type")} options={props.types} disabled={disabled} />
        </Form.Item>
      </Col>
      <Col xs={8} md={4}>
        <Form.Item name={[name, "required"]} label={t("fieldList.required")} valuePropName="checked">
          <Switch aria-label={label("required")} disabled={disabled} />
        </Form.Item>
      </Col>
      {type && SELECT_TYPES.includes(type) ? (
        <Col span={24}>
          <Form.Item name={[name, "options"]} label={t("fieldList.options")} rules={required("options")}>
            <Select mode="tags" aria-label={label("options")} disabled={disabled} open={false} tokenSeparators={[","]} />
          </Form.Item>
        </Col>
      ) : null}
      {/* Kept as it came: the editor does not change a text's length limit. */}
      <Form.Item name={[name, "max_length"]} hidden>
        <Input />
      </Form.Item>
    </Row>
  );
}

/** A field list on a record's page: its rows as a table. */
export function FieldListTable({ field, rows }: { field: FieldMeta; rows: FieldDef[] }) {
  const { t } = useTranslation("modules");
  return (
    <section aria-label={field.label} style={{ marginBottom: 24 }}>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {field.label}
      </Typography.Title>
      <Table<FieldDef>
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        columns={[
          { key: "key", title: t("fieldList.key"), dataIndex: "key", render: (key: string) => <Typography.Text code>{key}</Typography.Text> },
          { key: "label", title: t("fieldList.label"), dataIndex: "label" },
          { key: "type", title: t("fieldList.type"), dataIndex: "type", render: (type: string) => t(`valueTypes.${type}`, { defaultValue: type }) },
          {
            key: "required",
            title: t("fieldList.required"),
            dataIndex: "required",
            render: (required: boolean | undefined) => (required ? t("value.yes") : t("value.no")),
          },
          {
            key: "options",
            title: t("fieldList.options"),
            dataIndex: "options",
            render: (options: string[] | null | undefined) => (options ?? []).map((option) => <Tag key={option}>{option}</Tag>),
          },
        ]}
      />
    </section>
  );
}
