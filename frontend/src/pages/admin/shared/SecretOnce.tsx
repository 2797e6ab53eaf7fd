import { CheckOutlined, CopyOutlined } from "@ant-design/icons";
import { Alert, Button, Input, Modal, Space } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * A secret the server shows this once (an API token, a webhook signing secret): with a copy
 * button, and said plainly that it cannot be seen again. The caller forgets the secret when
 * this closes.
 */
export function SecretOnce({
  secret,
  title,
  onClose,
}: {
  secret: string | null;
  title: string;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      // Clipboard refused (no permission, insecure origin): the field is selectable instead.
      setCopied(false);
    }
  };
  return (
    <Modal
      open={secret !== null}
      title={title}
      onCancel={onClose}
      afterClose={() => setCopied(false)}
      mask={{ closable: false }}
      footer={
        <Button type="primary" onClick={onClose}>
          {t("secret.done")}
        </Button>
      }
      destroyOnHidden
    >
      <Alert type="warning" showIcon title={t("secret.once")} style={{ marginBottom: 16 }} />
      <Space.Compact style={{ width: "100%" }}>
        <Input
          readOnly
          value={secret ?? ""}
          aria-label={t("secret.value")}
          onFocus={(event) => event.target.select()}
          style={{ fontFamily: "monospace" }}
        />
        <Button icon={copied ? <CheckOutlined /> : <CopyOutlined />} onClick={copy}>
          {copied ? t("secret.copied") : t("secret.copy")}
        </Button>
      </Space.Compact>
    </Modal>
  );
}
