import { BellOutlined } from "@ant-design/icons";
import { Badge, Button, Empty, Popover, Skeleton } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ErrorNotice } from "../../components/ErrorNotice";
import { useUnreadCount } from "../queries";
import { useNotifications } from "./api";
import { MarkAllRead, NotificationList } from "./NotificationList";

const PANEL_SIZE = 6;

/** The header's bell: how many are unread, and the latest few in a panel. */
export function NotificationBell() {
  const { t } = useTranslation("shell");
  const [open, setOpen] = useState(false);
  const unread = useUnreadCount().data?.unread ?? 0;
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      arrow={false}
      destroyOnHidden
      content={<NotificationPanel unread={unread} onClose={() => setOpen(false)} />}
    >
      <Button
        type="text"
        aria-label={t("notifications.bell", { count: unread })}
        aria-haspopup="dialog"
        aria-expanded={open}
        icon={
          <Badge count={unread} size="small" overflowCount={99}>
            <BellOutlined style={{ fontSize: 18 }} />
          </Badge>
        }
      />
    </Popover>
  );
}

function NotificationPanel({ unread, onClose }: { unread: number; onClose: () => void }) {
  const { t } = useTranslation("shell");
  const list = useNotifications({ unread: false, limit: PANEL_SIZE });
  const items = list.data?.pages[0]?.items ?? [];
  return (
    <section className="notification-panel" aria-label={t("notifications.title")}>
      <header className="notification-panel-head">
        <h2>{t("notifications.title")}</h2>
        <MarkAllRead unread={unread} size="small" type="link" />
      </header>
      {list.isPending && <Skeleton active paragraph={{ rows: 3 }} title={false} />}
      {list.isError && <ErrorNotice error={list.error} retry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notifications.empty")} />
      )}
      {items.length > 0 && <NotificationList items={items} onOpen={onClose} />}
      <footer className="notification-panel-foot">
        <Link to="/notifications" onClick={onClose}>
          {t("notifications.seeAll")}
        </Link>
      </footer>
    </section>
  );
}
