import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Input, Modal, Skeleton, Steps, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, ApiError, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { useMe } from "../../app/session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { EnumTag, formatDateTime } from "../format";
import { recordKey } from "../records";
import { UserName } from "../references";
import type { ResourceMeta } from "../types";

type History = components["schemas"]["HistoryOut"];
type Task = components["schemas"]["TaskOut"];

const INSTANCE_STATUSES = ["pending", "approved", "rejected", "returned", "cancelled"];

export function approvalsKey(recordType: string, id: string) {
  return ["approvals", recordType, id] as const;
}

/** The task of the signed-in user that waits on them, in a pending approval. */
export function myOpenTask(history: History[], userId: string | undefined): Task | undefined {
  for (const item of history) {
    if (item.instance.status !== "pending") continue;
    const task = item.instance.tasks.find((t) => t.status === "pending" && t.assignee_user_id === userId);
    if (task) return task;
  }
  return undefined;
}

/** The record's approvals (workflow submissions) and, for an approver, approve and reject. */
export function Approvals({ resource, id }: { resource: ResourceMeta; id: string }) {
  const { t } = useTranslation("modules");
  const me = useMe();
  const client = useQueryClient();
  const { message } = App.useApp();
  const history = useQuery({
    queryKey: approvalsKey(resource.name, id),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workflow/records/{record_type}/{record_id}/history", {
          params: { path: { record_type: resource.name, record_id: id } },
        }),
      ),
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: approvalsKey(resource.name, id) });
    void client.invalidateQueries({ queryKey: recordKey(resource.name, id) });
  };
  const submit = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/v1/workflow/submissions", { body: { record_type: resource.name, record_id: id } })),
    onSuccess: () => {
      void message.success(t("approval.submitted"));
      refresh();
    },
    onError: (error) => void message.error(error instanceof ApiError ? error.message : t("approval.failed")),
  });
  if (history.isPending) return <Skeleton active />;
  if (history.isError) return <ErrorNotice error={history.error} retry={() => void history.refetch()} />;
  const pending = history.data.some((item) => item.instance.status === "pending");
  const task = myOpenTask(history.data, me.data?.user.id);
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap>
        {task ? <Decide task={task} onDone={refresh} /> : null}
        {/* A record with actions of its own is submitted by them (the plugin's route records the
            approval on the record); the generic submission would start one it never hears of. */}
        {resource.can_write && resource.actions.length === 0 && !pending ? (
          <Button onClick={() => submit.mutate()} loading={submit.isPending}>
            {t("approval.submit")}
          </Button>
        ) : null}
      </Flex>
      {history.data.length === 0 ? (
        <Empty description={t("approval.none")} />
      ) : (
        [...history.data].reverse().map((item) => <ApprovalCard key={item.instance.id} item={item} />)
      )}
    </Flex>
  );
}

function ApprovalCard({ item }: { item: History }) {
  const { t, i18n } = useTranslation("modules");
  const { instance } = item;
  return (
    <Card
      size="small"
      title={
        <Flex gap={8} align="center" wrap>
          <EnumTag options={INSTANCE_STATUSES} value={instance.status} label={t(`approval.status.${instance.status}`, { defaultValue: instance.status })} />
          <span>{formatDateTime(instance.created_at, i18n.language)}</span>
        </Flex>
      }
    >
      <Typography.Paragraph>
        {t("approval.requestedBy")} <UserName id={instance.requester_user_id} />
      </Typography.Paragraph>
      <Steps
        direction="vertical"
        size="small"
        current={instance.current_step}
        items={instance.tasks.map((task) => ({
          title: task.step_name,
          status: task.status === "approved" ? "finish" : task.status === "rejected" ? "error" : task.status === "pending" ? "process" : "wait",
          description: (
            <span>
              <UserName id={task.assignee_user_id} /> · {t(`approval.status.${task.status}`, { defaultValue: task.status })}
              {task.comment ? ` · “${task.comment}”` : ""}
            </span>
          ),
        }))}
      />
    </Card>
  );
}

/** Approve or reject my task, with an optional comment. */
function Decide({ task, onDone }: { task: Task; onDone: () => void }) {
  const { t } = useTranslation("modules");
  const { message } = App.useApp();
  const [deciding, setDeciding] = useState<"approve" | "reject" | null>(null);
  const [comment, setComment] = useState("");
  const decide = useMutation({
    mutationFn: (outcome: "approve" | "reject") => {
      const options = { params: { path: { task_id: task.id } }, body: { comment: comment.trim() || null } };
      return unwrap(
        outcome === "approve"
          ? api.POST("/api/v1/workflow/tasks/{task_id}/approve", options)
          : api.POST("/api/v1/workflow/tasks/{task_id}/reject", options),
      );
    },
    onSuccess: (_data, outcome) => {
      void message.success(outcome === "approve" ? t("approval.approved") : t("approval.rejected"));
      setDeciding(null);
      setComment("");
      onDone();
    },
    onError: (error) => void message.error(error instanceof ApiError ? error.message : t("approval.failed")),
  });
  return (
    <>
      <Typography.Text strong>{t("approval.yourTurn", { step: task.step_name })}</Typography.Text>
      <Button type="primary" onClick={() => setDeciding("approve")}>
        {t("approval.approve")}
      </Button>
      <Button danger onClick={() => setDeciding("reject")}>
        {t("approval.reject")}
      </Button>
      <Modal
        open={deciding !== null}
        title={deciding === "approve" ? t("approval.approveTitle") : t("approval.rejectTitle")}
        okText={deciding === "approve" ? t("approval.approve") : t("approval.reject")}
        okButtonProps={{ danger: deciding === "reject", loading: decide.isPending }}
        cancelText={t("form.cancel")}
        onOk={() => deciding && decide.mutate(deciding)}
        onCancel={() => setDeciding(null)}
      >
        <label htmlFor="approval-comment">{t("approval.comment")}</label>
        <Input.TextArea id="approval-comment" value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
      </Modal>
    </>
  );
}
