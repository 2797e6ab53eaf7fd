import { CheckOutlined, CloseOutlined } from "@ant-design/icons";
import { Button, Input, Popconfirm } from "antd";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { Decision } from "./api";

/**
 * Approve or Reject in two clicks: the button opens a small confirmation with an optional
 * comment; confirming decides. Rejecting is marked as the dangerous one.
 */
export function DecisionButton({
  decision,
  onDecide,
  disabled,
}: {
  decision: Decision;
  /** Resolves when decided; the confirmation stays open (and busy) until then. */
  onDecide: (comment: string) => Promise<unknown>;
  disabled?: boolean;
}) {
  const { t } = useTranslation("shell");
  const [comment, setComment] = useState("");
  const [open, setOpen] = useState(false);
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
        if (!next) setComment("");
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
        </div>
      }
      okText={approve ? t("approvals.approve") : t("approvals.reject")}
      cancelText={t("common:action.cancel")}
      okButtonProps={{ danger: !approve }}
      icon={null}
      onConfirm={async () => {
        try {
          await onDecide(comment);
          setOpen(false);
          setComment("");
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
