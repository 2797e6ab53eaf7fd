import { Button, type ButtonProps } from "antd";
import { useTranslation } from "react-i18next";

import type { Notification } from "../queries";
import { useMarkAllRead, useMarkRead } from "./api";
import { NotificationItem } from "./NotificationItem";

/** Notifications as a list, each marked read from its own button or when its link is followed. */
export function NotificationList({
  items,
  className = "notification-list",
  onOpen,
}: {
  items: Notification[];
  className?: string;
  /** After a link was followed (the bell closes its panel). */
  onOpen?: () => void;
}) {
  const markRead = useMarkRead();
  return (
    <ul className={className}>
      {items.map((item) => (
        <NotificationItem
          key={item.id}
          item={item}
          onMarkRead={(id) => markRead.mutate(id)}
          marking={markRead.isPending && markRead.variables === item.id}
          onOpen={onOpen}
        />
      ))}
    </ul>
  );
}

/** "Mark all as read", off while nothing is unread. */
export function MarkAllRead({
  unread,
  size,
  type,
}: {
  unread: number;
  size?: ButtonProps["size"];
  type?: ButtonProps["type"];
}) {
  const { t } = useTranslation("shell");
  const markAll = useMarkAllRead();
  return (
    <Button
      size={size}
      type={type}
      disabled={unread === 0}
      loading={markAll.isPending}
      onClick={() => markAll.mutate()}
    >
      {t("notifications.markAllRead")}
    </Button>
  );
}
