import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { Button, Flex, Form, Table, Typography } from "antd";
import type { FormListFieldData } from "antd";
import { useTranslation } from "react-i18next";

import { FieldValue, formatMoney } from "./format";
import { fieldControl } from "./FormView";
import { editableCells, lineAmount, lineFields, linesTotal, type LineValues } from "./lines";
import type { FieldMeta, RecordData } from "./types";

/** Read by screen readers, not shown: the buttons' column needs a name, not a heading to see. */
const VISUALLY_HIDDEN: React.CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
};

/** How wide a column is, by its type: a line of an order fits a form's width. */
const CELL_WIDTH: Record<string, number> = { number: 100, money: 120, date: 150, datetime: 190, bool: 70, enum: 140, reference: 220 };

/**
 * A ``lines`` field's editor: a table with a row per line (added, removed, moved), a column per
 * editable line field, and — when the field names what makes a line's amount — each line's
 * amount and the total, estimated here for display (the server computes its own). The API's
 * errors land on the cell they name (``lines[2].quantity``).
 */
export function LinesInput({ field, disabled, currency }: { field: FieldMeta; disabled: boolean; currency?: unknown }) {
  const { t, i18n } = useTranslation("modules");
  const rows = (Form.useWatch(field.name) ?? []) as LineValues[];
  const cells = editableCells(field);
  const withAmounts = (field.line_amount ?? []).length > 0;
  const money = (amount: string | null) => (amount === null ? "—" : formatMoney(amount, currency, i18n.language));
  const rules = field.required
    ? [
        {
          validator: async (_: unknown, lines: unknown[] | undefined) => {
            if (!lines || lines.length === 0) throw new Error(t("lines.atLeastOne"));
          },
        },
      ]
    : [];
  return (
    <Form.Item label={field.label} required={field.required} extra={field.help ?? undefined}>
      <Form.List name={field.name} rules={rules}>
        {(items, { add, remove, move }, { errors }) => {
          const columns = [
            { key: "number", title: t("lines.number"), width: 48, render: (_: unknown, __: FormListFieldData, index: number) => index + 1 },
            ...cells.map((cell) => ({
              key: cell.name,
              title: cell.label,
              width: CELL_WIDTH[cell.type] ?? 200,
              render: (_: unknown, item: FormListFieldData, index: number) => (
                <LineCell cell={cell} item={item} number={index + 1} disabled={disabled} />
              ),
            })),
            ...(withAmounts
              ? [
                  {
                    key: "amount",
                    title: t("lines.amount"),
                    align: "right" as const,
                    render: (_: unknown, __: FormListFieldData, index: number) => (
                      <span style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}>
                        {money(lineAmount(field, rows[index] ?? {}))}
                      </span>
                    ),
                  },
                ]
              : []),
            {
              key: "actions",
              title: <span style={VISUALLY_HIDDEN}>{t("lines.actions")}</span>,
              width: 110,
              render: (_: unknown, item: FormListFieldData, index: number) => {
                const number = index + 1;
                return (
                  <span style={{ whiteSpace: "nowrap" }}>
                    <Button
                      type="text"
                      size="small"
                      icon={<ArrowUpOutlined aria-hidden />}
                      aria-label={t("lines.up", { number })}
                      disabled={disabled || index === 0}
                      onClick={() => move(index, index - 1)}
                    />
                    <Button
                      type="text"
                      size="small"
                      icon={<ArrowDownOutlined aria-hidden />}
                      aria-label={t("lines.down", { number })}
                      disabled={disabled || index === items.length - 1}
                      onClick={() => move(index, index + 1)}
                    />
                    <Button
                      type="text"
                      size="small"
                      danger
                      icon={<DeleteOutlined aria-hidden />}
                      aria-label={t("lines.remove", { number })}
                      disabled={disabled}
                      onClick={() => remove(item.name)}
                    />
                  </span>
                );
              },
            },
          ];
          return (
            <>
              <Table<FormListFieldData>
                size="small"
                pagination={false}
                rowKey="key"
                dataSource={items}
                columns={columns}
                scroll={{ x: "max-content" }}
                locale={{ emptyText: <Typography.Text type="secondary">{t("lines.none")}</Typography.Text> }}
                style={{ marginBottom: 8 }}
              />
              {/* Beside the button, not in the table: a wide table scrolls, the total stays in view. */}
              <Flex justify="space-between" align="center" gap={12} wrap>
                <Button type="dashed" icon={<PlusOutlined aria-hidden />} disabled={disabled} onClick={() => add({})}>
                  {t("lines.add")}
                </Button>
                {withAmounts ? (
                  <Typography.Text>
                    {t("lines.total")}{" "}
                    <Typography.Text strong role="status" aria-label={t("lines.total")} style={{ fontVariantNumeric: "tabular-nums" }}>
                      {money(linesTotal(field, rows))}
                    </Typography.Text>
                  </Typography.Text>
                ) : null}
              </Flex>
              <Form.ErrorList errors={errors} />
            </>
          );
        }}
      </Form.List>
    </Form.Item>
  );
}

/** One value of one line: the field's generic input, named for assistive technology by its line. */
function LineCell(props: { cell: FieldMeta; item: FormListFieldData; number: number; disabled: boolean }) {
  const { t } = useTranslation("modules");
  const { cell, item, number, disabled } = props;
  const label = t("lines.cell", { field: cell.label, number });
  const { input, valuePropName } = fieldControl(cell, { disabled, label, reference: cell.reference ?? undefined });
  const rules = cell.required && !disabled ? [{ required: true, message: t("form.required", { field: cell.label }) }] : [];
  return (
    <Form.Item
      name={[item.name, cell.name]}
      rules={rules}
      valuePropName={valuePropName}
      style={{ marginBottom: 0 }}
    >
      {input}
    </Form.Item>
  );
}

/** A record's lines on its page: every line field, as the server gave it. */
export function LinesTable({ field, record }: { field: FieldMeta; record: RecordData }) {
  const { t } = useTranslation("modules");
  const held = record[field.name];
  const lines = (Array.isArray(held) ? held : []) as LineValues[];
  const rows = lines.map((line, index) => ({ ...line, id: String(line.id ?? index), currency: record.currency, key: index }));
  return (
    <section aria-label={field.label} style={{ marginBottom: 24 }}>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {field.label}
      </Typography.Title>
      <Table<RecordData & { key: number }>
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        scroll={{ x: "max-content" }}
        locale={{ emptyText: <Typography.Text type="secondary">{t("lines.none")}</Typography.Text> }}
        columns={[
          { key: "number", title: t("lines.number"), width: 48, render: (_, __, index) => index + 1 },
          ...lineFields(field).map((cell) => ({
            key: cell.name,
            title: cell.label,
            align: cell.type === "money" || cell.type === "number" ? ("right" as const) : undefined,
            render: (_: unknown, line: RecordData) => <FieldValue field={cell} record={line} />,
          })),
        ]}
      />
    </section>
  );
}
