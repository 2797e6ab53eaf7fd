import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, request, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useMembers } from "../../app/members";
import { useMe } from "../../app/session";
import type { ResourceMeta } from "../../modules/types";
import { NOTIFICATIONS_KEY, UNREAD_KEY } from "../queries";

export type InboxItem = components["schemas"]["InboxItemOut"];
export type Decision = "approve" | "reject";

export const INBOX_KEY = ["workflow", "inbox"] as const;
const PAGE_SIZE = 20;

/** My open approval tasks, oldest first, a page at a time. */
export function useInbox() {
  return useInfiniteQuery({
    queryKey: INBOX_KEY,
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/workflow/inbox", { params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
}

/** Approve or reject a task, with an optional comment; the inbox and the bell refresh after. */
export function useDecide() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, decision, comment }: { taskId: string; decision: Decision; comment?: string }) => {
      const body = comment?.trim() ? { comment: comment.trim() } : null;
      const params = { path: { task_id: taskId } };
      return decision === "approve"
        ? unwrap(api.POST("/api/v1/workflow/tasks/{task_id}/approve", { params, body }))
        : unwrap(api.POST("/api/v1/workflow/tasks/{task_id}/reject", { params, body }));
    },
    onSettled: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: INBOX_KEY }),
        client.invalidateQueries({ queryKey: UNREAD_KEY }),
        client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
      ]),
  });
}

/** The record a task is about, to show what is asked (null when it cannot be read). */
export function useRecord(resource: ResourceMeta | undefined, recordId: string) {
  return useQuery({
    queryKey: ["record", resource?.endpoint, recordId],
    queryFn: () => request<Record<string, unknown>>("GET", `${resource?.endpoint}/${encodeURIComponent(recordId)}`),
    enabled: Boolean(resource),
    staleTime: 30_000,
    retry: false,
  });
}

/** Member user id -> name, for "asked by" (the members list the pickers use). */
export function useMemberNames(): Map<string, string> {
  const me = useMe();
  const members = useMembers();
  const names = new Map<string, string>();
  for (const member of members.data ?? []) names.set(member.user_id, member.name);
  if (me.data) names.set(me.data.user.id, me.data.user.name);
  return names;
}
