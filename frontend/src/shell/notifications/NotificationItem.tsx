import { CheckOutlined } from "@ant-design/icons";
import { Button, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import type { Notification } from "../queries";
import { useTimeFormat } from "../time";
import { appPath } from "./api";

/**
 * One notification: its title (a link when it points somewhere in the app: opening it marks
 * it read), its text, when, and "mark as read" while unread.
 */
export function NotificationItem({
  item,
  onMarkRead,
  onOpen,
  marking,
}: {
  item: Notification;
  onMarkRead: (id: string) => void;
  /** After a link was followed (the bell closes its panel). */
  onOpen?: () => void;
  marking?: boolean;
}) {
  const { t } = useTranslation("shell");
  const time = useTimeFormat();
  const unread = item.read_at === null;
  const to = appPath(item.link);
  const title = <span className="notification-title">{item.title}</span>;
  return (
    <li className={unread ? "notification unread" : "notification"}>
      {unread && <span className="notification-dot" aria-hidden />}
      <div className="notification-main">
        {to ? (
          <Link
            to={to}
            onClick={() => {
              if (unread) onMarkRead(item.id);
              onOpen?.();
            }}
          >
            {title}
          </Link>
        ) : (
          title
        )}
        {unread && <span className="visually-hidden">{t("notifications.unread")}</span>}
        {item.body && (
          <Typography.Paragraph className="notification-body" ellipsis={{ rows: 2 }}>
            {item.body}
          </Typography.Paragraph>
        )}
        <Tooltip title={time.exact(item.created_at)}>
          <time dateTime={item.created_at} className="notification-time">
            {time.fromNow(item.created_at)}
          </time>
        </Tooltip>
      </div>
      {unread && (
        <Tooltip title={t("notifications.markRead")}>
          <Button
            type="text"
            size="small"
            icon={<CheckOutlined />}
            aria-label={t("notifications.markReadOf", { title: item.title })}
            loading={marking}
            onClick={() => onMarkRead(item.id)}
          />
        </Tooltip>
      )}
    </li>
  );
}
