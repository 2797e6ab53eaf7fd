import { PaperClipOutlined } from "@ant-design/icons";
import { Descriptions, Drawer, Space, Tag, Timeline, Tooltip, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useMe } from "../../app/session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { PageLoading } from "../../components/PageLoading";
import type { ResourceMeta } from "../../modules/types";
import { useTimeFormat } from "../time";
import { attachmentHref, useInstance, useMemberNames, type InstanceDetail } from "./api";
import { recordHref } from "./ApprovalCard";
import { DecisionButtons } from "./DecisionButton";
import { StatusTag } from "./StatusTag";

type Task = InstanceDetail["instance"]["tasks"][number];

/** The tasks in step order, each step with its name and its tasks. */
function stepsOf(tasks: readonly Task[]): { index: number; name: string; tasks: Task[] }[] {
  const steps = new Map<number, { index: number; name: string; tasks: Task[] }>();
  for (const task of tasks) {
    const step = steps.get(task.step_index) ?? { index: task.step_index, name: task.step_name, tasks: [] };
    step.tasks.push(task);
    steps.set(task.step_index, step);
  }
  return [...steps.values()].sort((a, b) => a.index - b.index);
}

/**
 * One approval in full, for anyone who may read it (requester, approver, copied): the record,
 * its summary, the tasks step by step, the history with comments and files, and Approve /
 * Reject when one of its open tasks is mine.
 */
export function ApprovalDrawer({
  instanceId,
  resources,
  onClose,
}: {
  instanceId: string | undefined;
  resources: readonly ResourceMeta[];
  onClose: () => void;
}) {
  const { t } = useTranslation("shell");
  const detail = useInstance(instanceId);
  const data = detail.data;
  return (
    <Drawer
      open={Boolean(instanceId)}
      onClose={onClose}
      width={640}
      title={data ? data.title : t("approvals.detail")}
    >
      {detail.isPending && <PageLoading />}
      {detail.isError && <ErrorNotice error={detail.error} retry={() => void detail.refetch()} />}
      {data && <DetailBody detail={data} resource={resources.find((r) => r.name === data.instance.record_type)} />}
    </Drawer>
  );
}

function DetailBody({ detail, resource }: { detail: InstanceDetail; resource: ResourceMeta | undefined }) {
  const { t } = useTranslation("shell");
  const time = useTimeFormat();
  const names = useMemberNames();
  const me = useMe();
  const { instance } = detail;
  const nameOf = (userId: string | null | undefined) => (userId ? (names.get(userId) ?? t("approvals.someone")) : t("approvals.system"));
  const mine = instance.status === "pending" ? instance.tasks.find((task) => task.status === "pending" && task.assignee_user_id === me.data?.user.id) : undefined;
  const labelOf = (name: string) => resource?.fields.find((field) => field.name === name)?.label ?? name;

  return (
    <Space direction="vertical" size="large" style={{ width: "100%" }} className="approval-detail">
      <Space wrap>
        <Tag color="blue">{detail.record_label}</Tag>
        <StatusTag status={instance.status} />
        <Link to={recordHref(instance.record_type, instance.record_id)}>{t("approvals.openRecord")}</Link>
      </Space>
      <Typography.Text>
        {t("approvals.requestedBy", { name: nameOf(instance.requester_user_id) })}{" "}
        <Tooltip title={time.exact(instance.created_at)}>
          <time dateTime={instance.created_at}>{time.fromNow(instance.created_at)}</time>
        </Tooltip>
      </Typography.Text>
      {detail.summary.length > 0 && (
        <Descriptions
          size="small"
          column={1}
          bordered
          items={detail.summary.map((field) => ({ key: field.name, label: labelOf(field.name), children: field.value ?? "—" }))}
        />
      )}
      {mine && <DecisionButtons taskId={mine.id} />}
      <section aria-labelledby="approval-steps">
        <Typography.Title level={3} id="approval-steps">
          {t("approvals.steps")}
        </Typography.Title>
        <ol className="approval-steps">
          {stepsOf(instance.tasks).map((step) => (
            <li key={step.index}>
              <Typography.Text strong>{step.name}</Typography.Text>
              <ul>
                {step.tasks.map((task) => (
                  <li key={task.id}>
                    {nameOf(task.assignee_user_id)} <StatusTag status={task.status} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="approval-history">
        <Typography.Title level={3} id="approval-history">
          {t("approvals.history")}
        </Typography.Title>
        <Timeline
          items={detail.actions.map((action) => ({
            key: action.id,
            children: (
              <div className="approval-action">
                <Typography.Text strong>{nameOf(action.actor_user_id)}</Typography.Text>{" "}
                {t(`approvals.action.${action.action}`, { defaultValue: action.action })}{" "}
                <Tooltip title={time.exact(action.created_at)}>
                  <time dateTime={action.created_at}>{time.fromNow(action.created_at)}</time>
                </Tooltip>
                {action.comment && <Typography.Paragraph className="approval-comment">{action.comment}</Typography.Paragraph>}
                {action.attachments.length > 0 && (
                  <ul className="attachment-list">
                    {action.attachments.map((file) => (
                      <li key={file.id}>
                        <PaperClipOutlined aria-hidden />{" "}
                        <a href={attachmentHref(instance.id, file.id)} download={file.filename}>
                          {file.filename}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ),
          }))}
        />
      </section>
    </Space>
  );
}
