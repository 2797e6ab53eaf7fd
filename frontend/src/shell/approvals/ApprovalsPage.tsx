import { Alert, Button, Empty, Typography } from "antd";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";

import { ErrorNotice } from "../../components/ErrorNotice";
import { PageLoading } from "../../components/PageLoading";
import { useMenus, useResources } from "../../modules/metadata";
import { useInbox, useMemberNames } from "./api";
import { ApprovalCard } from "./ApprovalCard";

/**
 * "My approvals": the requests waiting for my decision. Opened from a notification as
 * /approvals/<instance id>, that request is brought into view and marked.
 */
export default function ApprovalsPage() {
  const { t } = useTranslation("shell");
  const { instanceId } = useParams();
  const inbox = useInbox();
  const resources = useResources();
  const menus = useMenus();
  const names = useMemberNames();
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const wanted = instanceId ? items.find((item) => item.task.instance_id === instanceId) : undefined;
  const wantedRef = useRef<HTMLDivElement>(null);

  // The request the notification was about may be on a later page.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = inbox;
  useEffect(() => {
    if (instanceId && !wanted && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [instanceId, wanted, hasNextPage, isFetchingNextPage, fetchNextPage]);
  useEffect(() => {
    wantedRef.current?.scrollIntoView?.({ block: "center" });
  }, [wanted?.task.id]);

  const byName = new Map((resources.data ?? []).map((resource) => [resource.name, resource]));

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={1}>{t("approvals.title")}</Typography.Title>
      </div>
      {instanceId && inbox.isSuccess && !wanted && !hasNextPage && (
        <Alert
          type="info"
          showIcon
          title={t("approvals.notWaiting")}
          style={{ marginBottom: 16 }}
          action={
            <Link to="/approvals">
              <Button size="small">{t("approvals.showAll")}</Button>
            </Link>
          }
        />
      )}
      {inbox.isPending && <PageLoading />}
      {inbox.isError && <ErrorNotice error={inbox.error} retry={() => void inbox.refetch()} />}
      {inbox.isSuccess && items.length === 0 && (
        <Empty description={t("approvals.empty")}>
          <Link to="/">
            <Button>{t("approvals.toStart")}</Button>
          </Link>
        </Empty>
      )}
      <div className="approval-list">
        {items.map((item) => (
          <ApprovalCard
            key={item.task.id}
            ref={item === wanted ? wantedRef : undefined}
            item={item}
            resource={byName.get(item.record_type)}
            menus={menus.data ?? []}
            requester={names.get(item.requester_user_id)}
            highlighted={item === wanted}
          />
        ))}
      </div>
      {inbox.hasNextPage && (
        <div className="load-more">
          <Button loading={inbox.isFetchingNextPage} onClick={() => void inbox.fetchNextPage()}>
            {t("loadMore")}
          </Button>
        </div>
      )}
    </div>
  );
}
