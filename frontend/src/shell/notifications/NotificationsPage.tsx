import { Button, Empty, Segmented, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ErrorNotice } from "../../components/ErrorNotice";
import { PageLoading } from "../../components/PageLoading";
import { useUnreadCount } from "../queries";
import { useNotifications } from "./api";
import { MarkAllRead, NotificationList } from "./NotificationList";

type Filter = "all" | "unread";

/** Every notification, newest first, a page at a time; all or unread only. */
export default function NotificationsPage() {
  const { t } = useTranslation("shell");
  const [filter, setFilter] = useState<Filter>("all");
  const list = useNotifications({ unread: filter === "unread" });
  const unread = useUnreadCount().data?.unread ?? 0;
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={1}>{t("notifications.title")}</Typography.Title>
        <MarkAllRead unread={unread} />
      </div>
      <Segmented<Filter>
        value={filter}
        onChange={setFilter}
        aria-label={t("notifications.filter")}
        options={[
          { value: "all", label: t("notifications.all") },
          { value: "unread", label: t("notifications.unreadOnly", { count: unread }) },
        ]}
        style={{ marginBottom: 16 }}
      />
      {list.isPending && <PageLoading />}
      {list.isError && <ErrorNotice error={list.error} retry={() => void list.refetch()} />}
      {list.isSuccess && items.length === 0 && (
        <Empty
          description={filter === "unread" ? t("notifications.noneUnread") : t("notifications.empty")}
        >
          {filter === "unread" && <Button onClick={() => setFilter("all")}>{t("notifications.showAll")}</Button>}
        </Empty>
      )}
      {items.length > 0 && (
        <NotificationList items={items} className="notification-list notification-list-page" />
      )}
      {list.hasNextPage && (
        <div className="load-more">
          <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {t("loadMore")}
          </Button>
        </div>
      )}
    </div>
  );
}
