import { useInfiniteQuery, type QueryKey } from "@tanstack/react-query";

/** One page of a cursor-paginated list, as every list endpoint of the API answers. */
export interface CursorPage<T> {
  items: T[];
  next_cursor?: string | null;
}

/**
 * A cursor-paginated list read page by page ("load more"): the pages so far, flattened.
 * ``fetchPage`` gets the cursor of the page to read (undefined for the first).
 */
export function useCursorList<T>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<CursorPage<T>>,
  options: { enabled?: boolean } = {},
) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    enabled: options.enabled,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { ...query, items };
}

/** What a table needs of a cursor-paginated list (``useCursorList``'s answer). */
export type CursorList<T> = Pick<
  ReturnType<typeof useCursorList<T>>,
  "items" | "isError" | "error" | "refetch" | "isPending" | "hasNextPage" | "isFetchingNextPage" | "fetchNextPage"
>;
