import { Tag, Tooltip } from "antd";
import { useTranslation } from "react-i18next";

import { referenceOf } from "./metadata";
import { RecordLink } from "./references";
import type { FieldMeta, RecordData } from "./types";

/** "in_progress" → "In progress": a value the server sends without a label, as words. */
export function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An enum option as the metadata names it, in the app's language. */
export function optionLabel(field: FieldMeta, value: string): string {
  const index = field.options.indexOf(value);
  return (index >= 0 ? field.option_labels[index] : undefined) ?? humanize(value);
}

/** An enum's options for a Select. */
export function optionChoices(field: FieldMeta): { value: string; label: string }[] {
  return field.options.map((option) => ({ value: option, label: optionLabel(field, option) }));
}

/** An amount in the record's currency (a sibling "currency" field), else as a plain number. */
export function formatMoney(value: unknown, currency: unknown, language: string): string {
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  if (typeof currency === "string" && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat(language, { style: "currency", currency }).format(amount);
    } catch {
      // An unknown code: the number with the code beside it.
    }
    return `${formatNumber(amount, language, 2)} ${currency}`;
  }
  return formatNumber(amount, language, 2);
}

export function formatNumber(value: unknown, language: string, fraction?: number): string {
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  return new Intl.NumberFormat(language, {
    minimumFractionDigits: fraction,
    maximumFractionDigits: fraction ?? 2,
  }).format(number);
}

/** A date ("2027-03-01", a calendar day: no time zone shift) in the reader's language. */
export function formatDate(value: string, language: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(date);
}

export function formatDateTime(value: string, language: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** Enum values as coloured tags: the colour follows the option's place, so it is the same on
 * every screen. Dark text on light ground: each pair has a contrast above 4.5:1 (antd's preset
 * tag colours such as gold or green do not). */
const TAG_COLOURS: readonly (readonly [string, string])[] = [
  ["#0b4fa8", "#e6f0ff"],
  ["#1d6b0f", "#eaf7e4"],
  ["#8a4b00", "#fff4e0"],
  ["#4b1fa3", "#f1ebff"],
  ["#0a5f63", "#e3f7f7"],
  ["#9c1460", "#fdeaf4"],
  ["#a8071a", "#fff1f0"],
  ["#3d4a5c", "#eef1f5"],
];

export function tagColour(options: readonly string[], value: string): readonly [string, string] {
  const index = options.indexOf(value);
  return TAG_COLOURS[(index < 0 ? 0 : index) % TAG_COLOURS.length]!;
}

export function EnumTag(props: { options: readonly string[]; value: string; label?: string }) {
  const [color, background] = tagColour(props.options, props.value);
  return (
    <Tag style={{ color, background, borderColor: background }} data-value={props.value}>
      {props.label ?? humanize(props.value)}
    </Tag>
  );
}

const MUTED = "rgba(0, 0, 0, 0.62)";

/** A field's value of a record, drawn by its type (money with currency, enum as a tag …). */
export function FieldValue({ field, record }: { field: FieldMeta; record: RecordData }) {
  const { t, i18n } = useTranslation("modules");
  const value = record[field.name];
  const language = i18n.language;
  if (value === null || value === undefined || value === "") {
    return <span title={t("value.none")} style={{ color: MUTED }}>—</span>;
  }
  switch (field.type) {
    case "money":
      return <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatMoney(value, record.currency, language)}</span>;
    case "number":
      return <span style={{ fontVariantNumeric: "tabular-nums" }}>{formatNumber(value, language)}</span>;
    case "date":
      return <>{formatDate(String(value), language)}</>;
    case "datetime":
      return (
        <Tooltip title={String(value)}>
          <span>{formatDateTime(String(value), language)}</span>
        </Tooltip>
      );
    case "bool":
      return (
        <EnumTag
          options={["true", "false"]}
          value={value ? "true" : "false"}
          label={value ? t("value.yes") : t("value.no")}
        />
      );
    case "enum":
      return <EnumTag options={field.options} value={String(value)} label={optionLabel(field, String(value))} />;
    case "reference": {
      const reference = referenceOf(field, record);
      return reference ? <RecordLink reference={reference} id={String(value)} /> : <>{String(value)}</>;
    }
    case "longtext":
      return <span style={{ whiteSpace: "pre-wrap" }}>{String(value)}</span>;
    // In a list cell: how many (the record's page shows them in full).
    case "field_list":
      return <>{t("fieldList.count", { count: Array.isArray(value) ? value.length : 0 })}</>;
    case "lines":
      return <>{t("lines.count", { count: Array.isArray(value) ? value.length : 0 })}</>;
    case "values":
      return <>{t("values.count", { count: typeof value === "object" ? Object.keys(value as object).length : 0 })}</>;
    case "file":
      return field.download_endpoint ? (
        <a href={field.download_endpoint.replace("{id}", encodeURIComponent(record.id))} download>
          {t("upload.download")}
        </a>
      ) : (
        <>{t("upload.attached")}</>
      );
    default:
      return <>{String(value)}</>;
  }
}
