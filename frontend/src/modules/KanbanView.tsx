import { MoreOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Badge, Button, Card, Dropdown, Empty, Flex, Skeleton, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { ApiError, request } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { PageHeader, Screen, ViewSwitch } from "./common";
import { FieldValue } from "./format";
import {
  boardColumns,
  boardScope,
  columnResource,
  groupCards,
  moveCard,
  type BoardColumn,
  type BoardData,
} from "./kanban";
import { filterKey } from "./listQuery";
import type { ScreenProps } from "./ListView";
import { fieldOf, filterParam, resourceNamed, useResources } from "./metadata";
import { fetchPage, invalidateLists, recordUrl, titleOf, useAllRecords, type Query } from "./records";
import { RecordPicker } from "./references";
import type { RecordData, ResourceMeta } from "./types";

const PER_COLUMN = 50;

/** The board: a column per option or per referenced record; dragging a card changes the field. */
export default function KanbanView({ resource, base, title }: ScreenProps) {
  const { t } = useTranslation("modules");
  const resources = useResources();
  const field = fieldOf(resource, resource.kanban_by ?? "");
  const target = columnResource(resource, resources.data);
  const scope = boardScope(resource, target);
  const [params, setParams] = useSearchParams();
  const scopeValue = scope ? params.get(filterKey(scope.field.name)) : null;
  const columnQuery: Query = scope && scopeValue ? { [scope.columnParam]: scopeValue } : {};
  const columnRecords = useAllRecords(field?.type === "reference" && (!scope || scopeValue) ? target : undefined, columnQuery);
  const scopeChoices = useAllRecords(
    scope && !scopeValue ? resourceNamed(resources.data, scope.field.reference) : undefined,
  );

  // A board of records is one scope's (one pipeline's stages): the first, until another is chosen.
  useEffect(() => {
    const first = scopeChoices.data?.[0];
    if (scope && !scopeValue && first) {
      setParams((old) => {
        const next = new URLSearchParams(old);
        next.set(filterKey(scope.field.name), first.id);
        return next;
      }, { replace: true });
    }
  }, [scope, scopeValue, scopeChoices.data, setParams]);

  if (!field) return null;
  const columns = boardColumns(field, target, columnRecords.data);
  const cardQuery: Query = scope && scopeValue ? { [scope.cardParam]: scopeValue } : {};
  const waiting = field.type === "reference" && (columnRecords.isPending || (scope && !scopeValue));
  return (
    <Screen>
      <PageHeader
        title={t("board.title", { resource: title ?? resource.label })}
        extra={
          <>
            {scope?.field.reference ? (
              <RecordPicker
                reference={scope.field.reference}
                aria-label={scope.field.label}
                placeholder={scope.field.label}
                value={scopeValue}
                onChange={(value) =>
                  setParams((old) => {
                    const next = new URLSearchParams(old);
                    if (value) next.set(filterKey(scope.field.name), value);
                    else next.delete(filterKey(scope.field.name));
                    return next;
                  })
                }
              />
            ) : null}
            <ViewSwitch resource={resource} base={base} current="board" />
          </>
        }
      />
      {columnRecords.isError ? (
        <ErrorNotice error={columnRecords.error} retry={() => void columnRecords.refetch()} />
      ) : waiting ? (
        <Skeleton active />
      ) : columns.length === 0 ? (
        <Empty description={t("board.noColumns")} />
      ) : (
        <Board resource={resource} base={base} field={field.name} columns={columns} query={cardQuery} scopeKey={scopeValue} />
      )}
    </Screen>
  );
}

/** The board's cards, a page per column (or the whole list grouped, if it cannot filter). */
async function loadBoard(
  client: ReturnType<typeof useQueryClient>,
  resource: ResourceMeta,
  field: string,
  columns: readonly BoardColumn[],
  query: Query,
): Promise<BoardData> {
  if (!resource.filters.includes(field)) {
    const all: RecordData[] = [];
    let cursor: string | undefined;
    do {
      const page = await fetchPage(client, resource, { ...query, limit: 200, cursor });
      all.push(...page.items);
      cursor = page.next_cursor ?? undefined;
    } while (cursor && all.length < 1000);
    return groupCards(columns, field, all);
  }
  const param = filterParam(resource, field);
  const pages = await Promise.all(
    columns.map((column) => fetchPage(client, resource, { ...query, [param]: column.key, limit: PER_COLUMN })),
  );
  return {
    cards: Object.fromEntries(columns.map((column, index) => [column.key, pages[index]!.items])),
    more: Object.fromEntries(columns.map((column, index) => [column.key, Boolean(pages[index]!.next_cursor)])),
  };
}

interface BoardProps {
  resource: ResourceMeta;
  base: string;
  field: string;
  columns: BoardColumn[];
  query: Query;
  scopeKey: string | null;
}

export function Board({ resource, base, field, columns, query, scopeKey }: BoardProps) {
  const { t } = useTranslation("modules");
  const { message } = App.useApp();
  const client = useQueryClient();
  const key = ["board", resource.name, field, scopeKey, columns.map((c) => c.key)] as const;
  const board = useQuery({ queryKey: key, queryFn: () => loadBoard(client, resource, field, columns, query) });
  const movable = resource.can_edit && !fieldOf(resource, field)?.read_only;
  const [dragging, setDragging] = useState<{ card: RecordData; from: string } | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const move = useMutation({
    mutationFn: ({ card, to }: { card: RecordData; from: string; to: string }) =>
      request<RecordData>("PATCH", recordUrl(resource, card.id), { body: { [field]: to } }),
    // Optimistic: the card moves at once, and goes back if the server refuses.
    onMutate: async ({ card, from, to }) => {
      await client.cancelQueries({ queryKey: key });
      const before = client.getQueryData<BoardData>(key);
      if (before) client.setQueryData<BoardData>(key, moveCard(before, card, from, to, field));
      return { before };
    },
    onError: (error, { card }, context) => {
      if (context?.before) client.setQueryData(key, context.before);
      void message.error(
        t("board.moveFailed", {
          title: titleOf(resource, card),
          reason: error instanceof ApiError ? error.message : t("board.tryAgain"),
        }),
      );
    },
    onSuccess: (saved) => {
      client.setQueryData(["record", resource.name, saved.id], saved);
      void invalidateLists(client, resource.name);
    },
  });

  function moveTo(card: RecordData, from: string, to: string) {
    if (from !== to) move.mutate({ card, from, to });
  }

  if (board.isPending) return <Skeleton active />;
  if (board.isError) return <ErrorNotice error={board.error} retry={() => void board.refetch()} />;
  return (
    <div role="list" aria-label={t("board.columns")} style={{ display: "flex", gap: 12, overflowX: "auto", paddingBottom: 8, alignItems: "flex-start" }}>
      {columns.map((column) => {
        const cards = board.data.cards[column.key] ?? [];
        return (
          <section
            key={column.key}
            role="listitem"
            aria-label={column.title}
            data-column={column.key}
            onDragOver={(event) => {
              if (!dragging) return;
              event.preventDefault();
              setOver(column.key);
            }}
            onDragLeave={() => setOver((current) => (current === column.key ? null : current))}
            onDrop={(event) => {
              event.preventDefault();
              setOver(null);
              if (dragging) moveTo(dragging.card, dragging.from, column.key);
              setDragging(null);
            }}
            style={{
              flex: "0 0 272px",
              background: over === column.key ? "#e6f0ff" : "#f5f6f8",
              borderRadius: 8,
              padding: 8,
              minHeight: 120,
            }}
          >
            <Flex justify="space-between" align="center" style={{ padding: "4px 4px 8px" }}>
              <Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>
                {column.title}
              </Typography.Title>
              <Badge count={board.data.more[column.key] ? `${cards.length}+` : cards.length} showZero color="#3d4a5c" />
            </Flex>
            <Flex vertical gap={8}>
              {cards.map((card) => (
                <BoardCard
                  key={card.id}
                  resource={resource}
                  base={base}
                  card={card}
                  field={field}
                  column={column.key}
                  columns={columns}
                  movable={movable}
                  onDragStart={() => setDragging({ card, from: column.key })}
                  onDragEnd={() => setDragging(null)}
                  onMove={(to) => moveTo(card, column.key, to)}
                />
              ))}
              {board.data.more[column.key] ? (
                <Link to={`${base}?${filterKey(field)}=${encodeURIComponent(column.key)}`}>{t("board.showAll")}</Link>
              ) : null}
            </Flex>
          </section>
        );
      })}
    </div>
  );
}

interface CardProps {
  resource: ResourceMeta;
  base: string;
  card: RecordData;
  field: string;
  column: string;
  columns: BoardColumn[];
  movable: boolean;
  onDragStart: () => void;
  onDragEnd: () => void;
  onMove: (to: string) => void;
}

/** A card: its title (a link), a few list columns, and "Move to" for keyboards and touch. */
function BoardCard(props: CardProps) {
  const { t } = useTranslation("modules");
  const { resource, card } = props;
  const title = titleOf(resource, card);
  const details = resource.list_columns
    .filter((name) => name !== resource.title_field && name !== props.field)
    .slice(0, 3)
    .flatMap((name) => fieldOf(resource, name) ?? []);
  return (
    <Card
      size="small"
      draggable={props.movable}
      onDragStart={(event) => {
        event.dataTransfer.setData("text/plain", card.id);
        event.dataTransfer.effectAllowed = "move";
        props.onDragStart();
      }}
      onDragEnd={props.onDragEnd}
      style={{ cursor: props.movable ? "grab" : undefined }}
      data-card={card.id}
    >
      <Flex justify="space-between" align="start" gap={4}>
        <Link to={`${props.base}/${encodeURIComponent(card.id)}`} style={{ fontWeight: 600 }}>
          {title}
        </Link>
        {props.movable ? (
          <Dropdown
            trigger={["click"]}
            menu={{
              items: props.columns
                .filter((column) => column.key !== props.column)
                .map((column) => ({ key: column.key, label: column.title })),
              onClick: ({ key }) => props.onMove(key),
            }}
          >
            <Button size="small" type="text" icon={<MoreOutlined />} aria-label={t("board.moveTo", { title })} />
          </Dropdown>
        ) : null}
      </Flex>
      {details.map((field) => (
        <Flex key={field.name} gap={4} wrap style={{ fontSize: 13, marginTop: 4 }}>
          <span style={{ color: "rgba(0,0,0,0.62)" }}>{field.label}:</span>
          <FieldValue field={field} record={card} />
        </Flex>
      ))}
    </Card>
  );
}
