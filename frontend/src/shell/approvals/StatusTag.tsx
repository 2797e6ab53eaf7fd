import { Tag } from "antd";
import { useTranslation } from "react-i18next";

// Solid colours with white text at 5:1 or better: antd's preset tag colours (green text on
// pale green) fall short of WCAG AA contrast. The same tones as the admin pages' status tags.
const SOLID: Record<string, string> = {
  pending: "#0958d9",
  approved: "#237804",
  rejected: "#a8071a",
  returned: "#ad4e00",
  escalated: "#ad4e00",
  delegated: "#4b1fa3",
};

/** An approval's or a task's status as a coloured tag, in the reader's language. */
export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation("shell");
  return <Tag color={SOLID[status]}>{t(`approvals.status.${status}`, { defaultValue: status })}</Tag>;
}
