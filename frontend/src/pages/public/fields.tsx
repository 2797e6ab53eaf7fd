import { Form, Input } from "antd";
import { useTranslation } from "react-i18next";

import { PasswordStrength } from "./PasswordStrength";
import { PASSWORD_MAX } from "./passwordStrength";

/** The email address field of the public forms (``email``), checked before sending. */
export function EmailItem({
  autoComplete,
  autoFocus,
}: {
  autoComplete: "email" | "username";
  autoFocus?: boolean;
}) {
  const { t } = useTranslation("public");
  return (
    <Form.Item
      label={t("fields.email")}
      name="email"
      rules={[
        { required: true, message: t("fields.emailRequired") },
        { type: "email", message: t("fields.emailInvalid") },
      ]}
    >
      <Input type="email" autoComplete={autoComplete} maxLength={254} autoFocus={autoFocus} />
    </Form.Item>
  );
}

/**
 * A new password (``password``) with the meter that says how strong it is; the form's
 * ``email``, where it has one, counts against it.
 */
export function NewPasswordItem({ label, autoFocus }: { label: string; autoFocus?: boolean }) {
  const { t } = useTranslation("public");
  const password: string = Form.useWatch("password") ?? "";
  const email: string | undefined = Form.useWatch("email");
  return (
    <Form.Item
      label={label}
      name="password"
      rules={[{ required: true, message: t("fields.passwordRequired") }]}
      extra={<PasswordStrength password={password} email={email} />}
    >
      <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX} autoFocus={autoFocus} />
    </Form.Item>
  );
}
