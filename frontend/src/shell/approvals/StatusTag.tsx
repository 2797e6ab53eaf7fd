import { Tag } from "antd";
import { useTranslation } from "react-i18next";

const COLORS: Record<string, string> = {
  pending: "processing",
  approved: "success",
  rejected: "error",
  returned: "warning",
  cancelled: "default",
  delegated: "purple",
  escalated: "orange",
  withdrawn: "default",
};

/** An approval's or a task's status as a coloured tag, in the reader's language. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation("shell");
  return <Tag color={COLORS[status] ?? "default"}>{t(`approvals.status.${status}`, { defaultValue: status })}</Tag>;
}
