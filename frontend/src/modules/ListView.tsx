import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Flex, Skeleton, Table, Typography } from "antd";
import type { ColumnsType, SorterResult } from "antd/es/table/interface";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";

import { request } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { PageHeader, Screen, ViewSwitch } from "./common";
import { ExportButton } from "./exporting";
import { ImportButton } from "./importing";
import { FieldValue } from "./format";
import { ListFilters } from "./ListFilters";
import { isFiltered, listQuery } from "./listQuery";
import { fieldOf } from "./metadata";
import { fetchPage, invalidateLists, listKey, recordUrl, titleOf } from "./records";
import type { RecordData, ResourceMeta } from "./types";

const PAGE = 50;

export interface ScreenProps {
  resource: ResourceMeta;
  /** The screen's name: its menu entry's label (plural), else the resource's. */
  title?: string;
  /** The app path of the resource's screens (its menu entry's, or its endpoint's). */
  base: string;
}

/** The generic list: declared columns, filters, search, sort, pages, bulk delete, export. */
export default function ListView({ resource, base, title }: ScreenProps) {
  const { t } = useTranslation("modules");
  const [params, setParams] = useSearchParams();
  const client = useQueryClient();
  const query = listQuery(resource, params);
  const [selected, setSelected] = useState<string[]>([]);
  const list = useInfiniteQuery({
    queryKey: listKey(resource.name, query),
    queryFn: ({ pageParam }) => fetchPage(client, resource, { ...query, limit: PAGE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = list.data?.pages.flatMap((page) => page.items) ?? [];

  function change(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === "") next.delete(key);
      else next.set(key, value);
    }
    setSelected([]);
    setParams(next, { replace: true });
  }

  return (
    <Screen>
      <PageHeader
        title={title ?? resource.label}
        extra={
          <>
            <ViewSwitch resource={resource} base={base} current="list" />
            {resource.import_endpoint ? (
              <ImportButton
                endpoint={resource.import_endpoint}
                label={resource.label}
                onImported={() => void invalidateLists(client, resource.name)}
              />
            ) : null}
            {resource.export_endpoint ? <ExportButton endpoint={resource.export_endpoint} query={query} /> : null}
            {resource.can_write ? (
              <Link to={`${base}/new`}>
                <Button type="primary" icon={<PlusOutlined />}>
                  {t("list.new", { resource: resource.label })}
                </Button>
              </Link>
            ) : null}
          </>
        }
      />
      <ListFilters resource={resource} params={params} onChange={change} />
      {selected.length > 0 ? (
        <BulkBar
          resource={resource}
          rows={rows.filter((row) => selected.includes(row.id))}
          onDone={() => {
            setSelected([]);
            void invalidateLists(client, resource.name);
          }}
        />
      ) : null}
      {list.isError ? (
        <ErrorNotice error={list.error} retry={() => void list.refetch()} />
      ) : (
        <RecordTable
          resource={resource}
          base={base}
          rows={rows}
          loading={list.isPending}
          sort={query.sort as string | undefined}
          onSort={(sort) => change({ sort })}
          selected={selected}
          onSelect={resource.can_delete ? setSelected : undefined}
          empty={<ListEmpty resource={resource} base={base} filtered={isFiltered(params)} onClear={() => setParams({})} />}
        />
      )}
      {list.hasNextPage ? (
        <Flex justify="center" style={{ marginTop: 16 }}>
          <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
            {t("list.more")}
          </Button>
        </Flex>
      ) : null}
    </Screen>
  );
}

interface TableProps {
  resource: ResourceMeta;
  base: string;
  rows: RecordData[];
  loading: boolean;
  sort?: string;
  onSort: (sort: string | null) => void;
  selected: string[];
  onSelect?: (ids: string[]) => void;
  empty: React.ReactNode;
}

/** The rows: a column per declared list column, the title linked to the record. */
export function RecordTable(props: TableProps) {
  const { t } = useTranslation("modules");
  const { resource, base } = props;
  const linked = resource.list_columns.includes(resource.title_field)
    ? resource.title_field
    : resource.list_columns[0];
  const sortName = props.sort?.replace(/^-/, "");
  const columns: ColumnsType<RecordData> = resource.list_columns.flatMap((name) => {
    const field = fieldOf(resource, name);
    if (!field) return [];
    const sortable = resource.sort_fields.includes(name);
    return [
      {
        key: name,
        dataIndex: name,
        title: field.label,
        sorter: sortable,
        sortOrder: sortable && sortName === name ? (props.sort?.startsWith("-") ? "descend" : "ascend") : null,
        sortDirections: ["ascend", "descend"],
        align: field.type === "money" || field.type === "number" ? "right" : undefined,
        render: (_: unknown, record: RecordData) =>
          name === linked ? (
            <Link to={`${base}/${encodeURIComponent(record.id)}`}>
              {record[name] && field.type !== "reference" ? (
                <FieldValue field={field} record={record} />
              ) : (
                titleOf(resource, record)
              )}
            </Link>
          ) : (
            <FieldValue field={field} record={record} />
          ),
      },
    ];
  });
  // Wide tables scroll in their own box (antd's scroll.x adds a hidden measuring row that
  // keeps focusable copies of the header).
  return (
    <div style={{ overflowX: "auto" }}>
    <Table<RecordData>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={props.rows}
      loading={props.loading && props.rows.length > 0}
      pagination={false}
      tableLayout="auto"
      locale={{ emptyText: props.loading ? <TableSkeleton /> : props.empty }}
      rowSelection={
        props.onSelect
          ? {
              selectedRowKeys: props.selected,
              onChange: (keys) => props.onSelect?.(keys.map(String)),
              getCheckboxProps: (record) => ({ "aria-label": t("list.select", { title: titleOf(resource, record) }) }),
            }
          : undefined
      }
      onChange={(_pagination, _filters, sorter) => {
        const one = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<RecordData> | undefined;
        if (!one?.order || !one.columnKey) props.onSort(null);
        else props.onSort(`${one.order === "descend" ? "-" : ""}${String(one.columnKey)}`);
      }}
    />
    </div>
  );
}

function TableSkeleton() {
  const { t } = useTranslation("modules");
  return (
    <div role="status" aria-label={t("list.loading")} style={{ padding: 16, textAlign: "left" }}>
      <Skeleton active title={false} paragraph={{ rows: 6 }} />
    </div>
  );
}

function ListEmpty(props: { resource: ResourceMeta; base: string; filtered: boolean; onClear: () => void }) {
  const { t } = useTranslation("modules");
  const navigate = useNavigate();
  if (props.filtered) {
    return (
      <Empty description={t("list.noMatch")}>
        <Button onClick={props.onClear}>{t("list.clearFilters")}</Button>
      </Empty>
    );
  }
  return (
    <Empty description={t("list.empty", { resource: props.resource.label })}>
      {props.resource.can_write ? (
        <Button type="primary" onClick={() => navigate(`${props.base}/new`)}>
          {t("list.createFirst", { resource: props.resource.label })}
        </Button>
      ) : null}
    </Empty>
  );
}

export interface Failure {
  title: string;
  message: string;
}

/** Deletes one by one (each is its own transaction on the server); what failed is told. */
export async function deleteRecords(
  resource: ResourceMeta,
  rows: RecordData[],
  onProgress?: (done: number) => void,
): Promise<{ deleted: number; failed: Failure[] }> {
  const failed: Failure[] = [];
  let deleted = 0;
  for (const [index, row] of rows.entries()) {
    try {
      await request("DELETE", recordUrl(resource, row.id));
      deleted += 1;
    } catch (error) {
      failed.push({ title: titleOf(resource, row), message: error instanceof Error ? error.message : String(error) });
    }
    onProgress?.(index + 1);
  }
  return { deleted, failed };
}

function BulkBar(props: { resource: ResourceMeta; rows: RecordData[]; onDone: () => void }) {
  const { t } = useTranslation("modules");
  const { modal, message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const count = props.rows.length;

  function confirm() {
    modal.confirm({
      title: t("bulk.confirmTitle", { count, resource: props.resource.label }),
      content: t("bulk.confirmText"),
      okText: t("bulk.delete", { count }),
      okButtonProps: { danger: true },
      cancelText: t("bulk.keep"),
      onOk: async () => {
        setBusy(true);
        const { deleted, failed } = await deleteRecords(props.resource, props.rows);
        setBusy(false);
        props.onDone();
        if (failed.length === 0) {
          void message.success(t("bulk.deleted", { count: deleted }));
          return;
        }
        modal.warning({
          title: t("bulk.partial", { deleted, failed: failed.length }),
          content: (
            <ul>
              {failed.map((failure, index) => (
                <li key={index}>
                  <strong>{failure.title}</strong>: {failure.message}
                </li>
              ))}
            </ul>
          ),
        });
      },
    });
  }

  return (
    <Flex
      align="center"
      gap={12}
      wrap
      role="region"
      aria-label={t("bulk.region")}
      style={{ padding: "8px 12px", marginBottom: 12, background: "#f0f5ff", borderRadius: 6 }}
    >
      <Typography.Text>{t("bulk.selected", { count })}</Typography.Text>
      <Button danger icon={<DeleteOutlined />} loading={busy} onClick={confirm}>
        {t("bulk.delete", { count })}
      </Button>
    </Flex>
  );
}
