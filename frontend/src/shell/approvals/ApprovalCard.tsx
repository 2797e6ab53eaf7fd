import { Button, Card, Descriptions, Tag, Tooltip, Typography } from "antd";
import dayjs from "dayjs";
import { forwardRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import type { MenuEntry } from "../navigation";
import type { ResourceMeta } from "../../modules/types";
import { menuPathOf, recordTitle, type SearchRecord } from "../search";
import { useTimeFormat } from "../time";
import { useRecord, type InboxItem } from "./api";
import { DecisionButtons } from "./DecisionButton";
import { recordDetails } from "./recordDetails";

/** The record's own page: its module's list path where known, else the app's redirect. */
export function recordHref(recordType: string, recordId: string, path?: string): string {
  return path ? `${path}/${encodeURIComponent(recordId)}` : `/records/${encodeURIComponent(recordType)}/${encodeURIComponent(recordId)}`;
}

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
    /** Opens the approval in full. */
    onOpen: () => void;
  }
>(function ApprovalCard({ item, resource, menus, requester, highlighted, onOpen }, ref) {
  const { t, i18n } = useTranslation("shell");
  const time = useTimeFormat();
  const record = useRecord(resource, item.record_id);
  const { task } = item;

  const path = resource ? menuPathOf(resource, menus) : undefined;
  // The record's own title where it can be read: richer than the server's for record types
  // whose approvals name no title field ("Leave request 0193ab12").
  const title = record.data && resource ? recordTitle(resource, { id: item.record_id, ...record.data } as SearchRecord) : item.title;
  const headingId = `approval-${task.id}`;
  const overdue = task.due_at !== null && dayjs(task.due_at).isBefore(dayjs());

  return (
    <Card
      ref={ref}
      className={highlighted ? "approval highlighted" : "approval"}
      role="article"
      aria-labelledby={headingId}
    >
      <Typography.Title level={2} id={headingId} className="approval-title">
        <Tag color="blue">{item.record_label}</Tag> <Link to={recordHref(item.record_type, item.record_id, path)}>{title}</Link>
      </Typography.Title>
      <Typography.Paragraph className="approval-ask">
        {t("approvals.asked", { step: item.step_name, name: requester ?? t("approvals.someone") })}{" "}
        <Tooltip title={time.exact(item.submitted_at)}>
          <time dateTime={item.submitted_at}>{time.fromNow(item.submitted_at)}</time>
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
      <div className="approval-footer">
        <DecisionButtons taskId={task.id} />
        <Button type="link" onClick={onOpen} aria-label={t("approvals.openNamed", { title })}>
          {t("approvals.open")}
        </Button>
      </div>
    </Card>
  );
});
