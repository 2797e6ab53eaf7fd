import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import { NOTIFICATIONS_KEY, UNREAD_KEY } from "../queries";

export const PAGE_SIZE = 20;

/** The member's notifications, newest first, a page at a time (``unread`` for unread only). */
export function useNotifications({ unread, limit = PAGE_SIZE, enabled = true }: { unread: boolean; limit?: number; enabled?: boolean }) {
  return useInfiniteQuery({
    queryKey: [...NOTIFICATIONS_KEY, { unread, limit }],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/notifications", {
          params: { query: { unread, limit, cursor: pageParam ?? undefined } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
  });
}

function useRefreshNotifications() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: UNREAD_KEY }),
      client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    ]);
}

export function useMarkRead() {
  const refresh = useRefreshNotifications();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id: id } } })),
    onSuccess: refresh,
  });
}

export function useMarkAllRead() {
  const refresh = useRefreshNotifications();
  return useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/notifications/read-all")),
    onSuccess: refresh,
  });
}

/**
 * Where a notification's link leads inside the app, or null: links are paths of the app
 * ("/crm/leads/…"); a full URL counts only if it is this origin.
 */
export function appPath(link: string | null | undefined): string | null {
  if (!link) return null;
  try {
    const url = new URL(link, window.location.origin);
    if (url.origin !== window.location.origin) return null;
    return url.pathname + url.search + url.hash;
  } catch {
    return null;
  }
}
