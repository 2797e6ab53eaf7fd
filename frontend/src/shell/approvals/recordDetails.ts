import { formatValue } from "../format";
import type { ResourceMeta } from "../../modules/types";

export interface Detail {
  name: string;
  label: string;
  value: string;
}

const SHOWN = 5;

/**
 * A few of the record's own values, for an approver to judge by without opening it: the
 * fields of its form (what people enter) that are not references or long text, with a value.
 */
export function recordDetails(resource: ResourceMeta, record: Record<string, unknown>, language: string): Detail[] {
  const formFields = resource.form.flat();
  const names = formFields.length > 0 ? formFields : resource.list_columns;
  // A currency shows with its amount ("€1,200.00"), not again on its own.
  const hasMoney = resource.fields.some((f) => f.type === "money");
  const details: Detail[] = [];
  for (const name of names) {
    if (name === resource.title_field || details.length >= SHOWN) continue;
    if (hasMoney && name === "currency") continue;
    const field = resource.fields.find((f) => f.name === name);
    if (!field || field.type === "reference" || field.type === "longtext") continue;
    const value = formatValue(field.type, record[name], record, language);
    if (value !== null) details.push({ name, label: field.label, value });
  }
  return details;
}
