import { Button, Empty, Tabs, Typography } from "antd";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";

import { ErrorNotice } from "../../components/ErrorNotice";
import { PageLoading } from "../../components/PageLoading";
import { useMenus, useResources } from "../../modules/metadata";
import { useInbox, useMemberNames } from "./api";
import { ApprovalCard } from "./ApprovalCard";
import { ApprovalDrawer } from "./ApprovalDrawer";
import { CopiedList, DoneList, RequestsList, type Open } from "./CentreLists";

const TABS = ["inbox", "done", "requests", "copied"] as const;
type Tab = (typeof TABS)[number];

/**
 * The approval centre: what waits for my decision, what I decided, what I asked for and what
 * I was copied on, one tab each (the tab in ?tab=). /approvals/<instance id> — where
 * notifications link — opens that approval in full in a drawer over the list.
 */
export default function ApprovalsPage() {
  const { t } = useTranslation("shell");
  const { instanceId } = useParams();
  const [search, setSearch] = useSearchParams();
  const navigate = useNavigate();
  const resources = useResources();
  const asked = search.get("tab");
  const tab: Tab = TABS.includes(asked as Tab) ? (asked as Tab) : "inbox";
  const query = search.toString() ? `?${search.toString()}` : "";
  const open: Open = (id) => navigate(`/approvals/${encodeURIComponent(id)}${query}`);

  return (
    <div className="page">
      <div className="page-head">
        <Typography.Title level={1}>{t("approvals.title")}</Typography.Title>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(key) => setSearch(key === "inbox" ? {} : { tab: key })}
        items={[
          { key: "inbox", label: t("approvals.tab.inbox"), children: <InboxTab instanceId={instanceId} onOpen={open} /> },
          { key: "done", label: t("approvals.tab.done"), children: <DoneList active={tab === "done"} onOpen={open} /> },
          { key: "requests", label: t("approvals.tab.requests"), children: <RequestsList active={tab === "requests"} onOpen={open} /> },
          { key: "copied", label: t("approvals.tab.copied"), children: <CopiedList active={tab === "copied"} onOpen={open} /> },
        ]}
      />
      <ApprovalDrawer instanceId={instanceId} resources={resources.data ?? []} onClose={() => navigate(`/approvals${query}`)} />
    </div>
  );
}

/** The requests waiting for my decision, the one a notification is about marked. */
function InboxTab({ instanceId, onOpen }: { instanceId: string | undefined; onOpen: Open }) {
  const { t } = useTranslation("shell");
  const inbox = useInbox();
  const resources = useResources();
  const menus = useMenus();
  const names = useMemberNames();
  const items = inbox.data?.pages.flatMap((page) => page.items) ?? [];
  const wanted = instanceId ? items.find((item) => item.instance_id === instanceId) : undefined;
  const wantedRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    wantedRef.current?.scrollIntoView?.({ block: "center" });
  }, [wanted?.task.id]);

  const byName = new Map((resources.data ?? []).map((resource) => [resource.name, resource]));

  return (
    <>
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
            onOpen={() => onOpen(item.instance_id)}
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
    </>
  );
}
