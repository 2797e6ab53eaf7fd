import { Empty, type TableProps } from "antd";
import type { ReactNode } from "react";

import { ErrorNotice } from "../../../components/ErrorNotice";
import type { CursorList } from "./cursor";
import { LoadMore } from "./LoadMore";
import { ScrollTable } from "./ScrollTable";

/**
 * A cursor-paginated list (``useCursorList``) as a table: a failed load said with a retry,
 * the rows read so far, what an empty list means (and what to do about it), "load more".
 */
export function PagedTable<T extends object>({
  list,
  emptyText,
  emptyAction,
  ...table
}: {
  list: CursorList<T>;
  emptyText: string;
  /** Shown under ``emptyText``: the way on from an empty list (create one, clear filters). */
  emptyAction?: ReactNode;
} & Omit<TableProps<T>, "dataSource" | "loading" | "locale" | "pagination">) {
  if (list.isError) return <ErrorNotice error={list.error} retry={() => void list.refetch()} />;
  return (
    <>
      <ScrollTable<T>
        {...table}
        dataSource={list.items}
        loading={list.isPending}
        locale={{ emptyText: <Empty description={emptyText}>{emptyAction}</Empty> }}
      />
      <LoadMore
        hasMore={list.hasNextPage}
        loading={list.isFetchingNextPage}
        onLoad={() => void list.fetchNextPage()}
      />
    </>
  );
}
