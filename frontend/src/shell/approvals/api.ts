import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api, request, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useMembers } from "../../app/members";
import { useMe } from "../../app/session";
import type { ResourceMeta } from "../../modules/types";
import { NOTIFICATIONS_KEY, UNREAD_KEY } from "../queries";

export type InboxItem = components["schemas"]["InboxItemOut"];
export type DoneItem = components["schemas"]["DoneItemOut"];
export type ApprovalItem = components["schemas"]["ApprovalItemOut"];
export type CopiedItem = components["schemas"]["CopiedItemOut"];
export type InstanceDetail = components["schemas"]["InstanceDetailOut"];
export type Attachment = components["schemas"]["AttachmentOut"];
export type Decision = "approve" | "reject";
export type InstanceStatus = "pending" | "approved" | "rejected" | "returned" | "cancelled";

export const INBOX_KEY = ["workflow", "inbox"] as const;
/** Everything the approval centre shows; refreshed together after a decision or withdrawal. */
const CENTRE_KEY = ["workflow"] as const;
const PAGE_SIZE = 20;
/** Where a decision's files go before the decision names them. */
export const ATTACHMENT_UPLOAD = "/api/v1/workflow/attachments";

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

/** Tasks I decided or handed on, latest first. */
export function useDone(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...CENTRE_KEY, "done"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/workflow/done", { params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
  });
}

/** Approvals I requested, newest first, optionally of one status. */
export function useSubmissions(status: InstanceStatus | undefined, enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...CENTRE_KEY, "submissions", status ?? "all"],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET("/api/v1/workflow/submissions", {
          params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined, status } },
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
  });
}

/** Approvals I was copied on, latest first. */
export function useCopied(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: [...CENTRE_KEY, "copied"],
    queryFn: ({ pageParam }) =>
      unwrap(api.GET("/api/v1/workflow/copied", { params: { query: { limit: PAGE_SIZE, cursor: pageParam ?? undefined } } })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    enabled,
  });
}

/** One approval in full (404 when it is not mine to read). */
export function useInstance(instanceId: string | undefined) {
  return useQuery({
    queryKey: [...CENTRE_KEY, "instance", instanceId],
    queryFn: () =>
      unwrap(api.GET("/api/v1/workflow/instances/{instance_id}", { params: { path: { instance_id: instanceId ?? "" } } })),
    enabled: Boolean(instanceId),
    retry: false,
  });
}

/** The download address of a file attached to an approval. */
export function attachmentHref(instanceId: string, fileId: string): string {
  return `/api/v1/workflow/instances/${encodeURIComponent(instanceId)}/attachments/${encodeURIComponent(fileId)}`;
}

function useRefreshCentre() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: CENTRE_KEY }),
      client.invalidateQueries({ queryKey: UNREAD_KEY }),
      client.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }),
    ]);
}

/**
 * Approve or reject a task, with an optional comment and uploaded files; the centre's lists,
 * the open approval and the bell refresh after.
 */
export function useDecide() {
  const refresh = useRefreshCentre();
  return useMutation({
    mutationFn: ({
      taskId,
      decision,
      comment,
      attachments = [],
    }: {
      taskId: string;
      decision: Decision;
      comment?: string;
      attachments?: string[];
    }) => {
      const text = comment?.trim();
      // No body at all when there is nothing to say, as before files existed.
      const said = { ...(text ? { comment: text } : {}), ...(attachments.length > 0 ? { attachments } : {}) };
      const body = text || attachments.length > 0 ? said : null;
      const params = { path: { task_id: taskId } };
      return decision === "approve"
        ? unwrap(api.POST("/api/v1/workflow/tasks/{task_id}/approve", { params, body }))
        : unwrap(api.POST("/api/v1/workflow/tasks/{task_id}/reject", { params, body }));
    },
    onSettled: refresh,
  });
}

/** Withdraw my pending request (409 once someone has decided). */
export function useWithdraw() {
  const refresh = useRefreshCentre();
  return useMutation({
    mutationFn: (instanceId: string) =>
      unwrap(api.POST("/api/v1/workflow/instances/{instance_id}/cancel", { params: { path: { instance_id: instanceId } } })),
    onSettled: refresh,
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
