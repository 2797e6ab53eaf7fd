import { Button, Popconfirm } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * An action that asks first (revoke, discard, delete): a button opening a confirmation whose
 * confirm button is marked dangerous. The confirmation stays open, its button busy, until
 * ``onConfirm`` settles; it closes once that succeeded.
 */
export function ConfirmAction({
  label,
  title,
  description,
  onConfirm,
  icon,
  ariaLabel,
  danger = true,
}: {
  /** The action's name: the confirm button's text, and the button's unless it has an icon. */
  label: string;
  title: ReactNode;
  description: ReactNode;
  onConfirm: () => Promise<unknown>;
  /** An icon-only button, named by ``ariaLabel`` (``label`` if none). */
  icon?: ReactNode;
  ariaLabel?: string;
  /** Whether the button itself looks dangerous (false for one that only replaces something). */
  danger?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Popconfirm
      title={title}
      description={description}
      okText={label}
      okButtonProps={{ danger: true }}
      cancelText={t("action.cancel")}
      onConfirm={onConfirm}
    >
      {icon ? (
        <Button danger={danger} icon={icon} aria-label={ariaLabel ?? label} />
      ) : (
        <Button danger={danger}>{label}</Button>
      )}
    </Popconfirm>
  );
}
