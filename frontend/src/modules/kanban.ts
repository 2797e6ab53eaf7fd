import { optionLabel } from "./format";
import { fieldOf, filterParam, resourceNamed } from "./metadata";
import { titleOf } from "./records";
import { USER_REFERENCE, type FieldMeta, type RecordData, type ResourceMeta } from "./types";

export interface BoardColumn {
  /** The value the board's field has in this column: an enum option or a record's id. */
  key: string;
  title: string;
}

/** The board's columns: an enum's options, or the referenced resource's records in list order. */
export function boardColumns(
  field: FieldMeta,
  target: ResourceMeta | undefined,
  records: readonly RecordData[] | undefined,
): BoardColumn[] {
  if (field.type === "enum") return field.options.map((option) => ({ key: option, title: optionLabel(field, option) }));
  if (!target || !records) return [];
  return records.map((record) => ({ key: record.id, title: titleOf(target, record) }));
}

/**
 * What narrows a board whose columns are records: a filter of the column resource that is a
 * reference the board's resource filters by too (deals and stages both by pipeline), so one
 * pipeline's stages are the columns and its deals the cards.
 */
export interface BoardScope {
  /** The board resource's field (and filter), e.g. the deal's pipeline_id. */
  field: FieldMeta;
  /** The query parameters: of the board's list, and of the columns' list. */
  cardParam: string;
  columnParam: string;
}

export function boardScope(
  resource: ResourceMeta,
  target: ResourceMeta | undefined,
): BoardScope | undefined {
  if (!target) return undefined;
  for (const name of target.filters) {
    const filter = fieldOf(target, name);
    if (filter?.type !== "reference" || !filter.reference || filter.reference === USER_REFERENCE) continue;
    const own = resource.filters
      .map((own) => fieldOf(resource, own))
      .find((f) => f?.type === "reference" && f.reference === filter.reference);
    if (own) return { field: own, cardParam: filterParam(resource, own.name), columnParam: filterParam(target, name) };
  }
  return undefined;
}

export function columnResource(
  resource: ResourceMeta,
  resources: readonly ResourceMeta[] | undefined,
): ResourceMeta | undefined {
  const field = resource.kanban_by ? fieldOf(resource, resource.kanban_by) : undefined;
  return field?.type === "reference" ? resourceNamed(resources, field.reference) : undefined;
}

export interface BoardData {
  cards: Record<string, RecordData[]>;
  /** Columns with more cards than shown. */
  more: Record<string, boolean>;
}

/** Cards grouped by their value of ``field`` (when the list cannot filter by it). */
export function groupCards(columns: readonly BoardColumn[], field: string, records: readonly RecordData[]): BoardData {
  const cards: Record<string, RecordData[]> = Object.fromEntries(columns.map((c) => [c.key, []]));
  for (const record of records) cards[String(record[field])]?.push(record);
  return { cards, more: {} };
}

/** The board after moving ``card`` to column ``to``: out of its column, first in the other. */
export function moveCard(board: BoardData, card: RecordData, from: string, to: string, field: string): BoardData {
  const moved = { ...card, [field]: to };
  return {
    more: board.more,
    cards: {
      ...board.cards,
      [from]: (board.cards[from] ?? []).filter((c) => c.id !== card.id),
      [to]: [moved, ...(board.cards[to] ?? []).filter((c) => c.id !== card.id)],
    },
  };
}
