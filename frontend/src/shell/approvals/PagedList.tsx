import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { Button, Empty } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { ErrorNotice } from "../../components/ErrorNotice";
import { PageLoading } from "../../components/PageLoading";

/**
 * One of the centre's keyset-paged lists with its loading, error and empty states and
 * "Load more"; ``render`` draws the items of all pages loaded so far.
 */
export function PagedList<T>({
  query,
  empty,
  render,
}: {
  query: UseInfiniteQueryResult<InfiniteData<{ items: T[]; next_cursor?: string | null }>>;
  empty: ReactNode;
  render: (items: T[]) => ReactNode;
}) {
  const { t } = useTranslation("shell");
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      {query.isPending && <PageLoading />}
      {query.isError && <ErrorNotice error={query.error} retry={() => void query.refetch()} />}
      {query.isSuccess && items.length === 0 && <Empty description={empty} />}
      {items.length > 0 && render(items)}
      {query.hasNextPage && (
        <div className="load-more">
          <Button loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t("loadMore")}
          </Button>
        </div>
      )}
    </>
  );
}
