import { useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { request } from "../api/client";
import type { PageData, RecordData, ResourceMeta } from "./types";

export type Query = Record<string, string | number | boolean | undefined>;

/** A list page, whether the endpoint answers a page or (for a short list) a plain array. */
export function asPage(data: unknown): PageData {
  if (Array.isArray(data)) return { items: data as RecordData[], next_cursor: null };
  const page = data as Partial<PageData> | null;
  return { items: page?.items ?? [], next_cursor: page?.next_cursor ?? null };
}

export function recordKey(resource: string, id: string) {
  return ["record", resource, id] as const;
}

export function listKey(resource: string, query: Query) {
  return ["list", resource, query] as const;
}

/** After records of ``resource`` were made, changed or removed: every list of them asks again
 * (the list pages, whole short lists, pickers' searches). */
export function invalidateLists(client: QueryClient, resource: string): Promise<unknown> {
  return Promise.all(
    ["list", "all", "picker"].map((kind) => client.invalidateQueries({ queryKey: [kind, resource] })),
  );
}

/** One page of ``resource``'s list; every record on it is cached for its detail and title. */
export async function fetchPage(
  client: QueryClient,
  resource: ResourceMeta,
  query: Query,
): Promise<PageData> {
  const page = asPage(await request<unknown>("GET", resource.endpoint, { query }));
  // A list's row may leave out what only one record's GET gives (its lines): seeded as already
  // stale, it shows at once on the record's page, which still asks for the whole record.
  for (const item of page.items) {
    const key = recordKey(resource.name, item.id);
    if (client.getQueryData(key) === undefined) client.setQueryData(key, item, { updatedAt: 0 });
  }
  return page;
}

export function useRecord(resource: ResourceMeta | undefined, id: string | undefined) {
  return useQuery({
    queryKey: recordKey(resource?.name ?? "", id ?? ""),
    queryFn: () => request<RecordData>("GET", `${resource!.endpoint}/${id!}`),
    enabled: Boolean(resource && id),
  });
}

/** Every record of a short list (a board's columns, a small picker): up to ``max``. */
export function useAllRecords(resource: ResourceMeta | undefined, query: Query = {}, max = 500) {
  const client = useQueryClient();
  return useQuery({
    queryKey: ["all", resource?.name ?? "", query],
    enabled: Boolean(resource),
    staleTime: 60_000,
    queryFn: async () => {
      const items: RecordData[] = [];
      let cursor: string | null = null;
      do {
        const page = await fetchPage(client, resource!, { ...query, limit: 200, cursor: cursor ?? undefined });
        items.push(...page.items);
        cursor = page.next_cursor;
      } while (cursor && items.length < max);
      return items;
    },
  });
}

/** A record's id in a URL path segment. */
export function recordUrl(resource: ResourceMeta, id: string): string {
  return `${resource.endpoint}/${encodeURIComponent(id)}`;
}

/** The record's title: its title field, else its id. */
export function titleOf(resource: ResourceMeta, record: RecordData | undefined): string {
  const value = record?.[resource.title_field];
  if (value === null || value === undefined || value === "") return record?.id ?? "";
  return String(value);
}
