import { App, Button, List, Popconfirm, Select, Space, Tag, Tooltip, Typography } from "antd";
import type { ReactNode } from "react";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../../api/client";
import { useTimeFormat } from "../time";
import {
  useCopied,
  useDone,
  useSubmissions,
  useWithdraw,
  type ApprovalItem,
  type InstanceStatus,
} from "./api";
import { PagedList } from "./PagedList";
import { StatusTag } from "./StatusTag";

/** Opens one approval in full. */
export type Open = (instanceId: string) => void;

const STATUSES: InstanceStatus[] = ["pending", "approved", "rejected", "returned", "cancelled"];

function When({ at }: { at: string }) {
  const time = useTimeFormat();
  return (
    <Tooltip title={time.exact(at)}>
      <time dateTime={at}>{time.fromNow(at)}</time>
    </Tooltip>
  );
}

/** One approval in a list: its record type, its title (opening it), its status and more. */
function ApprovalRow({ approval, onOpen, extra, children }: { approval: ApprovalItem; onOpen: Open; extra?: ReactNode; children?: ReactNode }) {
  return (
    <List.Item className="approval-row" actions={extra ? [extra] : undefined}>
      <Space direction="vertical" size={2}>
        <Space wrap>
          <Tag color="blue">{approval.record_label}</Tag>
          <Button type="link" className="approval-open" onClick={() => onOpen(approval.id)}>
            {approval.title}
          </Button>
          <StatusTag status={approval.status} />
        </Space>
        <Typography.Text type="secondary">{children}</Typography.Text>
      </Space>
    </List.Item>
  );
}

/** My decisions: what I did, when, and where the approval stands now. */
export function DoneList({ active, onOpen }: { active: boolean; onOpen: Open }) {
  const { t } = useTranslation("shell");
  const done = useDone(active);
  return (
    <PagedList
      query={done}
      empty={t("approvals.doneEmpty")}
      render={(items) => (
        <section aria-label={t("approvals.tab.done")}>
          <List
            dataSource={items}
            rowKey={(item) => item.task.id}
            renderItem={(item) => (
              <ApprovalRow approval={item.approval} onOpen={onOpen}>
                {t("approvals.youDid")} <StatusTag status={item.task.status} />
                {item.task.step_name} · <When at={item.task.acted_at ?? item.task.created_at} />
              </ApprovalRow>
            )}
          />
        </section>
      )}
    />
  );
}

/** Withdraw my pending request, after a confirmation; the server's refusal is shown as said. */
function WithdrawButton({ approval }: { approval: ApprovalItem }) {
  const { t } = useTranslation("shell");
  const { message } = App.useApp();
  const withdraw = useWithdraw();
  return (
    <Popconfirm
      title={t("approvals.confirmWithdraw")}
      okText={t("approvals.withdraw")}
      cancelText={t("common:action.cancel")}
      okButtonProps={{ danger: true }}
      onConfirm={async () => {
        try {
          await withdraw.mutateAsync(approval.id);
          message.success(t("approvals.withdrawn"));
        } catch (error) {
          message.error(error instanceof ApiError ? error.message : t("approvals.failed"));
        }
      }}
    >
      <Button danger size="small" loading={withdraw.isPending} aria-label={t("approvals.withdrawNamed", { title: approval.title })}>
        {t("approvals.withdraw")}
      </Button>
    </Popconfirm>
  );
}

/** The approvals I asked for, filtered by status; pending ones can be withdrawn. */
export function RequestsList({ active, onOpen }: { active: boolean; onOpen: Open }) {
  const { t } = useTranslation("shell");
  const [status, setStatus] = useState<InstanceStatus | undefined>(undefined);
  const submissions = useSubmissions(status, active);
  return (
    <>
      <div className="approval-filter">
        <Select
          aria-label={t("approvals.statusFilter")}
          allowClear
          placeholder={t("approvals.anyStatus")}
          style={{ minWidth: 180 }}
          value={status}
          onChange={(next: InstanceStatus | undefined) => setStatus(next)}
          options={STATUSES.map((value) => ({ value, label: t(`approvals.status.${value}`) }))}
        />
      </div>
      <PagedList
        query={submissions}
        empty={t("approvals.requestsEmpty")}
        render={(items) => (
          <section aria-label={t("approvals.tab.requests")}>
            <List
              dataSource={items}
              rowKey={(item) => item.id}
              renderItem={(item) => (
                <ApprovalRow approval={item} onOpen={onOpen} extra={item.status === "pending" ? <WithdrawButton approval={item} /> : undefined}>
                  {t("approvals.submitted")} <When at={item.created_at} />
                  {item.finished_at && (
                    <>
                      {" · "}
                      {t("approvals.finished")} <When at={item.finished_at} />
                    </>
                  )}
                </ApprovalRow>
              )}
            />
          </section>
        )}
      />
    </>
  );
}

/** Approvals I was copied on, to follow without deciding. */
export function CopiedList({ active, onOpen }: { active: boolean; onOpen: Open }) {
  const { t } = useTranslation("shell");
  const copied = useCopied(active);
  return (
    <PagedList
      query={copied}
      empty={t("approvals.copiedEmpty")}
      render={(items) => (
        <section aria-label={t("approvals.tab.copied")}>
          <List
            dataSource={items}
            rowKey={(item) => `${item.approval.id}-${item.step_index}`}
            renderItem={(item) => (
              <ApprovalRow approval={item.approval} onOpen={onOpen}>
                {t("approvals.copiedAt")} <When at={item.copied_at} />
              </ApprovalRow>
            )}
          />
        </section>
      )}
    />
  );
}
