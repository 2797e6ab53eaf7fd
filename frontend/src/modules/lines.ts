import dayjs from "dayjs";

import { toApiValue } from "./formValues";
import type { FieldMeta } from "./types";

/** One line of a ``lines`` field as the form holds it: its values by line field name. */
export type LineValues = Record<string, unknown>;

/** The fields of each line (none for any other field type). */
export function lineFields(field: FieldMeta): FieldMeta[] {
  return field.line_fields ?? [];
}

/** The line fields the editor offers: the read-only ones are the server's to fill. */
export function editableCells(field: FieldMeta): FieldMeta[] {
  return lineFields(field).filter((cell) => !cell.read_only);
}

function rowsOf(value: unknown): LineValues[] {
  return Array.isArray(value) ? value.filter((row): row is LineValues => typeof row === "object" && row !== null) : [];
}

/** A record's lines as the editor's rows: dates as dayjs, the rest as the API gave them. */
export function toFormLines(field: FieldMeta, value: unknown): LineValues[] {
  return rowsOf(value).map((row) => {
    const values: LineValues = { ...row };
    for (const cell of lineFields(field)) {
      const held = row[cell.name];
      if ((cell.type === "date" || cell.type === "datetime") && typeof held === "string") values[cell.name] = dayjs(held);
    }
    return values;
  });
}

/**
 * The lines as the API takes them: each line's editable values as every input sends them
 * (money as decimal text, numbers as numbers, dates as "YYYY-MM-DD"), left out when empty;
 * a line's ``id`` goes back when a line field is named so (the API can then tell kept lines
 * from new ones).
 */
export function toApiLines(field: FieldMeta, value: unknown): LineValues[] {
  const keepsId = lineFields(field).some((cell) => cell.name === "id");
  return rowsOf(value).map((row) => {
    const line: LineValues = {};
    if (keepsId && row.id !== undefined && row.id !== null) line.id = row.id;
    for (const cell of editableCells(field)) {
      const sent = toApiValue(cell, row[cell.name]);
      if (sent !== null) line[cell.name] = sent;
    }
    return line;
  });
}

/** An exact decimal: ``digits`` × 10^-``scale``. */
interface Exact {
  digits: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/** A number or decimal text, exactly (no float arithmetic: 0.1 × 3 is 0.3); null if it is none. */
export function exact(value: unknown): Exact | null {
  const text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : typeof value === "string" ? value.trim() : "";
  const match = DECIMAL.exec(text);
  if (!match) return null;
  const fraction = match[3] ?? "";
  const digits = BigInt(`${match[2]}${fraction}`);
  return { digits: match[1] === "-" ? -digits : digits, scale: fraction.length };
}

const TEN = 10n;

/** ``value`` rounded half away from zero to ``places`` decimals, as decimal text. */
function rounded(value: Exact, places: number): string {
  let digits = value.digits;
  if (value.scale > places) {
    const divisor = TEN ** BigInt(value.scale - places);
    const quotient = digits / divisor;
    const remainder = digits % divisor;
    const away = 2n * (remainder < 0n ? -remainder : remainder) >= divisor;
    digits = away ? quotient + (digits < 0n ? -1n : 1n) : quotient;
  } else {
    digits *= TEN ** BigInt(places - value.scale);
  }
  const negative = digits < 0n;
  const text = (negative ? -digits : digits).toString().padStart(places + 1, "0");
  const whole = places > 0 ? `${text.slice(0, -places)}.${text.slice(-places)}` : text;
  return negative ? `-${whole}` : whole;
}

/** Money is shown to the cent: the estimate rounds as invoices do, line by line. */
const CENTS = 2;

/**
 * A line's amount by the field's ``line_amount`` (quantity × unit price × (1 − discount / 100)),
 * rounded to cents, as decimal text; null when the field names no amount or the line lacks a
 * quantity or a price. For display only: the server computes its own.
 */
export function lineAmount(field: FieldMeta, line: LineValues): string | null {
  const [quantityField, priceField, discountField] = field.line_amount ?? [];
  if (!quantityField || !priceField) return null;
  const quantity = exact(line[quantityField]);
  const price = exact(line[priceField]);
  if (!quantity || !price) return null;
  const discount = discountField ? (exact(line[discountField]) ?? { digits: 0n, scale: 0 }) : { digits: 0n, scale: 0 };
  // (100 − discount) at the discount's scale, then ÷ 100 by two more decimals.
  const remaining = 100n * TEN ** BigInt(discount.scale) - discount.digits;
  const product = { digits: quantity.digits * price.digits * remaining, scale: quantity.scale + price.scale + discount.scale + 2 };
  return rounded(product, CENTS);
}

/** The lines' amounts added up (each rounded first), as decimal text; null when none has one. */
export function linesTotal(field: FieldMeta, value: unknown): string | null {
  const amounts = rowsOf(value)
    .map((line) => lineAmount(field, line))
    .filter((amount): amount is string => amount !== null);
  if (amounts.length === 0) return null;
  const sum = amounts.reduce((total, amount) => total + exact(amount)!.digits, 0n);
  return rounded({ digits: sum, scale: CENTS }, CENTS);
}

/**
 * Where an error the API names inside the lines belongs: ``lines[2].quantity`` at that cell of
 * the third line when the editor has it; anything else of the lines (``lines[2]``, a read-only
 * line field) at the lines as a whole, saying which line.
 */
export function lineErrorPlace(field: FieldMeta, parts: (string | number)[]): { path: (string | number)[]; line?: number } {
  const [, index, cell] = parts;
  if (typeof index !== "number") return { path: [field.name] };
  if (typeof cell === "string" && editableCells(field).some((c) => c.name === cell)) return { path: [field.name, index, cell] };
  return { path: [field.name], line: index + 1 };
}
