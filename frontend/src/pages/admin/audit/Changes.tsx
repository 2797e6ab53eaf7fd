import { Typography } from "antd";
import { useTranslation } from "react-i18next";
import { ScrollTable } from "../shared/ScrollTable";

/** ``{field: [before, after]}`` as a small before/after table. */
export function Changes({ changes }: { changes: Record<string, unknown> }) {
  const { t } = useTranslation("admin");
  const rows = Object.entries(changes).map(([field, pair]) => {
    const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
    return { field, before, after };
  });
  if (rows.length === 0) {
    return <Typography.Text type="secondary">{t("audit.noChanges")}</Typography.Text>;
  }
  const show = (value: unknown) =>
    value === null || value === undefined ? (
      <Typography.Text type="secondary">—</Typography.Text>
    ) : (
      <Typography.Text code style={{ wordBreak: "break-word" }}>
        {typeof value === "string" ? value : JSON.stringify(value)}
      </Typography.Text>
    );
  return (
    <ScrollTable
      size="small"
      rowKey="field"
      pagination={false}
      dataSource={rows}
      scroll={{ x: "max-content" }}
      columns={[
        { title: t("audit.field"), dataIndex: "field", key: "field" },
        { title: t("audit.before"), key: "before", render: (_, r) => show(r.before) },
        { title: t("audit.after"), key: "after", render: (_, r) => show(r.after) },
      ]}
    />
  );
}
