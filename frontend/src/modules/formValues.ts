import dayjs, { type Dayjs } from "dayjs";

import { toApiFieldList, toApiValues } from "./designed";
import { toApiLines, toFormLines } from "./lines";
import { fieldOf, filterParam, referenceOf, resourceNamed } from "./metadata";
import type { Query } from "./records";
import { USER_REFERENCE, type FieldMeta, type RecordData, type ResourceMeta } from "./types";

export type FormValues = Record<string, unknown>;

/** The form's lines of fields: the declared rows, else each editable field on a line. */
export function formRows(resource: ResourceMeta): FieldMeta[][] {
  if (resource.form.length > 0) {
    return resource.form.map((row) => row.flatMap((name) => fieldOf(resource, name) ?? []));
  }
  return resource.fields.filter((field) => !field.read_only).map((field) => [field]);
}

/** Whether a field can be set in this form: not read-only, and not create-only when editing. */
export function isEditable(field: FieldMeta, editing: boolean): boolean {
  return !field.read_only && !(editing && field.create_only);
}

/** A record's values as the form's inputs hold them (dates as dayjs). */
export function toFormValues(resource: ResourceMeta, record: Partial<RecordData>): FormValues {
  const values: FormValues = {};
  for (const field of resource.fields) {
    const value = record[field.name];
    if (value === undefined) continue;
    if ((field.type === "date" || field.type === "datetime") && typeof value === "string") {
      values[field.name] = dayjs(value);
    } else if (field.type === "lines") {
      values[field.name] = toFormLines(field, value);
    } else {
      values[field.name] = value;
    }
  }
  return values;
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** One input's value as the API takes it: a date as "YYYY-MM-DD", a moment in ISO 8601, an
 * amount as a decimal string (exact), a number as a number, lines as a list of such values. */
export function toApiValue(field: FieldMeta, value: unknown): unknown {
  if (field.type === "field_list") return toApiFieldList(value);
  if (field.type === "values") return toApiValues(value);
  if (field.type === "lines") return toApiLines(field, value);
  if (isEmpty(value)) return null;
  switch (field.type) {
    case "date":
      return dayjs.isDayjs(value) ? (value as Dayjs).format("YYYY-MM-DD") : value;
    case "datetime":
      return dayjs.isDayjs(value) ? (value as Dayjs).toISOString() : value;
    case "money":
      return String(value);
    case "number":
      return Number(value);
    case "bool":
      return Boolean(value);
    default:
      return typeof value === "string" ? value.trim() : value;
  }
}

/**
 * The request body: on create every field given; on edit only what changed from ``initial``
 * (the API's PATCH leaves out what it is not sent; create-only fields are never sent).
 */
export function toApiBody(
  resource: ResourceMeta,
  values: FormValues,
  initial?: Partial<RecordData>,
): Record<string, unknown> {
  const editing = initial !== undefined;
  const body: Record<string, unknown> = {};
  for (const row of formRows(resource)) {
    for (const field of row) {
      if (!isEditable(field, editing) || !(field.name in values)) continue;
      const value = toApiValue(field, values[field.name]);
      if (!editing) {
        if (value !== null) body[field.name] = value;
        continue;
      }
      const before = toApiValue(field, toFormValues(resource, initial)[field.name]);
      if (!sameValue(field, value, before)) body[field.name] = value;
    }
  }
  return body;
}

function sameValue(field: FieldMeta, a: unknown, b: unknown): boolean {
  if ((field.type === "money" || field.type === "number") && a !== null && b !== null) {
    return Number(a) === Number(b);
  }
  if (field.type === "field_list" || field.type === "values" || field.type === "lines") {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

/**
 * A reference picker's filters that other fields of the form fill: the stages of the chosen
 * pipeline, the contacts of the chosen account. A filter of the referenced resource that is a
 * reference to R is filled by this form's field referencing R (members never scope).
 */
export function pickerScope(
  resource: ResourceMeta,
  field: FieldMeta,
  values: FormValues,
  resources: readonly ResourceMeta[] | undefined,
): { scope: Query; dependsOn: string[] } {
  const scope: Query = {};
  // A reference whose record type a sibling says is cleared when the sibling changes.
  const dependsOn: string[] = field.reference_from ? [field.reference_from] : [];
  const target = resourceNamed(resources, referenceOf(field, values));
  if (!target) return { scope, dependsOn };
  for (const name of target.filters) {
    const filter = fieldOf(target, name);
    if (filter?.type !== "reference" || !filter.reference || filter.reference === USER_REFERENCE) continue;
    const sibling = resource.fields.find(
      (f) => f.name !== field.name && f.type === "reference" && f.reference === filter.reference,
    );
    if (!sibling) continue;
    dependsOn.push(sibling.name);
    const value = values[sibling.name];
    if (typeof value === "string" && value) scope[filterParam(target, name)] = value;
  }
  return { scope, dependsOn };
}
