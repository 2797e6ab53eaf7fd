import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { App, Button, Input, Popconfirm, Space } from "antd";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../../api/client";
import type { UploadedFile } from "../../api/upload";
import { useDecide, type Decision } from "./api";
import { AttachmentPicker } from "./AttachmentPicker";

/**
 * Approve or Reject in two clicks: the button opens a small confirmation with an optional
 * comment and files; confirming decides (once the files are uploaded). Rejecting is marked as the dangerous one.
 */
export function DecisionButton({
  decision,
  onDecide,
  disabled,
}: {
  decision: Decision;
  /** Resolves when decided; the confirmation stays open (and busy) until then. */
  onDecide: (comment: string, attachments: string[]) => Promise<unknown>;
  disabled?: boolean;
}) {
  const { t } = useTranslation("shell");
  const [comment, setComment] = useState("");
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [uploading, setUploading] = useState(false);
  // Ant Design closes the confirmation once onConfirm settles, failed or not: a failure keeps
  // it (and the comment) for another try.
  const failed = useRef(false);
  const commentId = useId();
  const approve = decision === "approve";
  return (
    <Popconfirm
      open={open}
      onOpenChange={(next) => {
        if (!next && failed.current) {
          failed.current = false;
          return;
        }
        setOpen(next);
        if (!next) {
          setComment("");
          setFiles([]);
        }
      }}
      title={approve ? t("approvals.confirmApprove") : t("approvals.confirmReject")}
      description={
        <div className="decision-comment">
          <label htmlFor={commentId}>{t("approvals.comment")}</label>
          <Input.TextArea
            id={commentId}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            autoSize={{ minRows: 2, maxRows: 5 }}
            maxLength={4000}
          />
          <AttachmentPicker value={files} onChange={setFiles} onBusy={setUploading} />
        </div>
      }
      okText={approve ? t("approvals.approve") : t("approvals.reject")}
      cancelText={t("common:action.cancel")}
      okButtonProps={{ danger: !approve, disabled: uploading }}
      icon={null}
      onConfirm={async () => {
        try {
          await onDecide(
            comment,
            files.map((file) => file.id),
          );
          setOpen(false);
          setComment("");
          setFiles([]);
        } catch {
          // Said by the caller; the confirmation stays open to try again or cancel.
          failed.current = true;
        }
      }}
    >
      <Button
        type={approve ? "primary" : "default"}
        danger={!approve}
        icon={approve ? <CheckOutlined aria-hidden /> : <CloseOutlined aria-hidden />}
        disabled={disabled}
      >
        {approve ? t("approvals.approve") : t("approvals.reject")}
      </Button>
    </Popconfirm>
  );
}

/**
 * Approve and Reject for one task, saying how it went: a task someone else decided first (or
 * that was withdrawn) is said so; the lists refresh either way.
 */
export function DecisionButtons({ taskId }: { taskId: string }) {
  const { t } = useTranslation("shell");
  const { message } = App.useApp();
  const decide = useDecide();

  async function onDecide(decision: Decision, comment: string, attachments: string[]) {
    try {
      await decide.mutateAsync({ taskId, decision, comment, attachments });
      message.success(decision === "approve" ? t("approvals.approved") : t("approvals.rejected"));
    } catch (error) {
      // 404/409: someone else decided first, or it was withdrawn; the list refreshes.
      const gone = error instanceof ApiError && [404, 409, 410].includes(error.status);
      message.error(gone ? t("approvals.gone") : error instanceof ApiError ? error.message : t("approvals.failed"));
      throw error;
    }
  }

  return (
    <Space wrap className="approval-actions">
      <DecisionButton decision="approve" onDecide={(comment, files) => onDecide("approve", comment, files)} />
      <DecisionButton decision="reject" onDecide={(comment, files) => onDecide("reject", comment, files)} />
    </Space>
  );
}
