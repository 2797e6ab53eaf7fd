import { Alert, Form, Input, Modal, Typography } from "antd";
import { useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A destructive action confirmed by typing a word (a slug, a name): the confirm button stays
 * disabled until the typed text matches exactly, so a stray click or Enter cannot do it.
 */
export function TypeToConfirm({
  open,
  title,
  warning,
  expected,
  label,
  okText,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  warning: ReactNode;
  expected: string;
  label: string;
  okText: string;
  busy?: boolean;
  error?: string;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("admin");
  const [typed, setTyped] = useState("");
  const matches = typed.trim() === expected;
  return (
    <Modal
      open={open}
      title={title}
      okText={okText}
      okButtonProps={{ danger: true, disabled: !matches, loading: busy }}
      cancelText={t("common:action.cancel")}
      onOk={() => matches && onConfirm(typed.trim())}
      onCancel={onCancel}
      afterClose={() => setTyped("")}
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={warning} style={{ marginBottom: 16 }} />
      <Form layout="vertical" onFinish={() => matches && onConfirm(typed.trim())}>
        <Form.Item
          label={
            <span>
              {label} <Typography.Text code>{expected}</Typography.Text>
            </span>
          }
          htmlFor="type-to-confirm"
          validateStatus={error ? "error" : undefined}
          help={error}
        >
          <Input
            id="type-to-confirm"
            value={typed}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setTyped(event.target.value)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
