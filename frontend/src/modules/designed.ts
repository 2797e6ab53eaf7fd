import { USER_REFERENCE, type FieldMeta, type RecordData } from "./types";

/**
 * A field an admin designs in the browser: one row of a ``field_list`` field, in the shape the
 * plugin's API takes (``{key, label, type, required, options}``; a text's ``max_length`` is kept
 * as it came).
 */
export interface FieldDef {
  key: string;
  label: string;
  /** One of the platform's value types (VALUE_TYPES in the plugin guide). */
  type: string;
  required?: boolean;
  options?: string[] | null;
  max_length?: number | null;
}

/** The platform's value types, in the order the editor offers them (the plugin guide's). */
export const VALUE_TYPES = [
  "text",
  "long_text",
  "number",
  "amount",
  "date",
  "select",
  "multi_select",
  "bool",
  "member",
  "file",
] as const;

/** Value types whose rows name their options. */
export const SELECT_TYPES: readonly string[] = ["select", "multi_select"];
const TEXT_TYPES: readonly string[] = ["text", "long_text"];

/** The types a field list's editor offers: the field's options, else all of them. */
export function offeredTypes(field: FieldMeta): string[] {
  return field.options.length > 0 ? field.options : [...VALUE_TYPES];
}

/** The definitions a record holds in its field list (nothing else counts as one). */
export function defsOf(record: RecordData | undefined, schemaField: string | null | undefined): FieldDef[] {
  const held = record && schemaField ? record[schemaField] : undefined;
  if (!Array.isArray(held)) return [];
  return held.filter(
    (def): def is FieldDef =>
      typeof def === "object" && def !== null && typeof (def as FieldDef).key === "string" && typeof (def as FieldDef).type === "string",
  );
}

/** The generic input's metadata for one designed field (how the screens draw its type). */
export function inputMeta(def: FieldDef, values: FieldMeta): FieldMeta {
  const options = def.options ?? [];
  const base: FieldMeta = {
    name: def.key,
    label: def.label,
    type: "text",
    required: Boolean(def.required),
    read_only: false,
    options,
    // The admin wrote them: they read as written.
    option_labels: options,
    reference: null,
    create_only: false,
    reference_from: null,
    reference_resources: {},
  };
  switch (def.type) {
    case "long_text":
      return { ...base, type: "longtext" };
    case "number":
    case "date":
    case "bool":
      return { ...base, type: def.type };
    case "amount":
      return { ...base, type: "money" };
    case "select":
    case "multi_select":
      return { ...base, type: "enum" };
    case "member":
      return { ...base, type: "reference", reference: USER_REFERENCE };
    case "file":
      return { ...base, type: "file", upload_endpoint: values.upload_endpoint ?? null };
    default:
      return base;
  }
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

/** A field list's rows as the API takes them: trimmed, options only for the select types. */
export function toApiFieldList(rows: unknown): FieldDef[] {
  if (!Array.isArray(rows)) return [];
  return rows.map((row: Partial<FieldDef> | undefined) => {
    const type = row?.type ?? "text";
    return {
      key: (row?.key ?? "").trim(),
      label: (row?.label ?? "").trim(),
      type,
      required: Boolean(row?.required),
      options: SELECT_TYPES.includes(type) ? (row?.options ?? []).map((o) => o.trim()) : null,
      max_length: TEXT_TYPES.includes(type) ? (row?.max_length ?? null) : null,
    };
  });
}

/** A values object as the API takes it: what was left empty is left out, text trimmed. */
export function toApiValues(values: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (typeof values !== "object" || values === null) return body;
  for (const [key, value] of Object.entries(values)) {
    if (blank(value)) continue;
    body[key] = typeof value === "string" ? value.trim() : value;
  }
  return body;
}

/**
 * Where the API's error name points in the form: ``fields[2].options[1]`` at the third row's
 * options, ``lines[2].quantity`` at the third line's quantity, ``values.cost`` at the cost
 * input, ``name`` at the name.
 */
export function errorPath(name: string, typeOf: (field: string) => string | undefined): (string | number)[] {
  const parts = name
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  const kind = typeOf(String(parts[0]));
  if (kind === "field_list" || kind === "lines") return parts.slice(0, 3);
  if (kind === "values") return parts.slice(0, 2);
  return [name];
}
