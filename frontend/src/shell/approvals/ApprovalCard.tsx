import { App, Card, Descriptions, Skeleton, Space, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { forwardRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ApiError } from "../../api/client";
import type { MenuEntry } from "../navigation";
import type { ResourceMeta } from "../../modules/types";
import { menuPathOf, recordTitle, type SearchRecord } from "../search";
import { useTimeFormat } from "../time";
import { useDecide, useRecord, type Decision, type InboxItem } from "./api";
import { DecisionButton } from "./DecisionButton";
import { recordDetails } from "./recordDetails";

/**
 * One request waiting for me: what is asked (the record, a few of its values, the step), by
 * whom and when, and Approve / Reject.
 */
export const ApprovalCard = forwardRef<
  HTMLDivElement,
  {
    item: InboxItem;
    resource: ResourceMeta | undefined;
    menus: readonly MenuEntry[];
    requester: string | undefined;
    highlighted?: boolean;
  }
>(function ApprovalCard({ item, resource, menus, requester, highlighted }, ref) {
  const { t, i18n } = useTranslation("shell");
  const { message } = App.useApp();
  const time = useTimeFormat();
  const record = useRecord(resource, item.record_id);
  const decide = useDecide();
  const { task } = item;

  const kind = resource ? resource.label : item.record_type;
  const title = record.data && resource ? recordTitle(resource, { id: item.record_id, ...record.data } as SearchRecord) : null;
  const path = resource ? menuPathOf(resource, menus) : undefined;
  const headingId = `approval-${task.id}`;
  const overdue = task.due_at !== null && dayjs(task.due_at).isBefore(dayjs());

  async function onDecide(decision: Decision, comment: string) {
    try {
      await decide.mutateAsync({ taskId: task.id, decision, comment });
      message.success(decision === "approve" ? t("approvals.approved") : t("approvals.rejected"));
    } catch (error) {
      // 404/409: someone else decided first, or it was withdrawn; the list refreshes.
      const gone = error instanceof ApiError && [404, 409, 410].includes(error.status);
      message.error(gone ? t("approvals.gone") : error instanceof ApiError ? error.message : t("approvals.failed"));
      throw error;
    }
  }

  return (
    <Card
      ref={ref}
      className={highlighted ? "approval highlighted" : "approval"}
      role="article"
      aria-labelledby={headingId}
    >
      <Typography.Title level={2} id={headingId} className="approval-title">
        <Tag color="blue">{kind}</Tag>{" "}
        {record.isPending && resource ? (
          <Skeleton.Input active size="small" />
        ) : path && title ? (
          <Link to={`${path}/${encodeURIComponent(item.record_id)}`}>{title}</Link>
        ) : (
          (title ?? t("approvals.record", { id: item.record_id }))
        )}
      </Typography.Title>
      <Typography.Paragraph className="approval-ask">
        {t("approvals.asked", { step: task.step_name, name: requester ?? t("approvals.someone") })}{" "}
        <Tooltip title={time.exact(task.created_at)}>
          <time dateTime={task.created_at}>{time.fromNow(task.created_at)}</time>
        </Tooltip>
        {task.due_at && (
          <>
            {" · "}
            <Tag color={overdue ? "red" : "default"}>
              {overdue
                ? t("approvals.overdue", { when: time.fromNow(task.due_at) })
                : t("approvals.due", { when: time.fromNow(task.due_at) })}
            </Tag>
          </>
        )}
      </Typography.Paragraph>
      {record.data && resource && (
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, md: 3 }}
          items={recordDetails(resource, record.data, i18n.language).map((detail) => ({
            key: detail.name,
            label: detail.label,
            children: detail.value,
          }))}
        />
      )}
      {record.isError && <Typography.Text type="secondary">{t("approvals.recordHidden")}</Typography.Text>}
      <Space wrap className="approval-actions">
        <DecisionButton decision="approve" onDecide={(comment) => onDecide("approve", comment)} />
        <DecisionButton decision="reject" onDecide={(comment) => onDecide("reject", comment)} />
      </Space>
    </Card>
  );
});
