import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { can, useMe } from "../app/session";

export type Notification = components["schemas"]["NotificationOut"];

/** Module name -> label, for the menu's headings (only when the member may list modules). */
export function useModuleLabels(): Record<string, string> {
  const me = useMe();
  const modules = useQuery({
    queryKey: ["modules"],
    queryFn: () => unwrap(api.GET("/api/v1/modules")),
    enabled: Boolean(me.data?.tenant) && can(me.data, "modules.module.read"),
    staleTime: 5 * 60_000,
  });
  return Object.fromEntries((modules.data ?? []).map((module) => [module.name, module.label]));
}

export const UNREAD_KEY = ["notifications", "unread-count"] as const;
export const NOTIFICATIONS_KEY = ["notifications", "list"] as const;

/** How many notifications are unread; asked again every minute while the app is open. */
export function useUnreadCount() {
  const me = useMe();
  return useQuery({
    queryKey: UNREAD_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/notifications/unread-count")),
    enabled: Boolean(me.data?.tenant),
    refetchInterval: 60_000,
    staleTime: 15_000,
  });
}
