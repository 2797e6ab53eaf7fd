import { Button, Form, Result } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { AuthLayout } from "./AuthLayout";
import { EmailItem } from "./fields";
import { FormProblem } from "./FormProblem";
import { useFormSubmit } from "./useFormSubmit";

/**
 * Ask for a reset link. The answer is the same whether or not an account uses the address
 * (the server does not say, so nobody can probe for accounts), and so is this page's.
 */
export default function ForgotPasswordPage() {
  const { t } = useTranslation("public");
  const [form] = Form.useForm<{ email: string }>();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { submit, submitting, problem } = useFormSubmit({
    form,
    fields: ["email"],
    send: async ({ email }) => {
      await unwrap(api.POST("/api/v1/auth/password-reset/request", { body: { email } }));
      setSentTo(email);
    },
  });

  return (
    <AuthLayout
      title={t("forgot.title")}
      intro={sentTo ? undefined : t("forgot.intro")}
      footer={<Link to="/login">{t("forgot.back")}</Link>}
    >
      {sentTo ? (
        <Result
          status="success"
          title={t("forgot.sentTitle")}
          subTitle={t("forgot.sent", { email: sentTo })}
          extra={
            <Button onClick={() => setSentTo(null)}>{t("forgot.again")}</Button>
          }
        />
      ) : (
        <>
          <FormProblem error={problem} messages={{ 429: t("forgot.throttled") }} />
          <Form form={form} layout="vertical" onFinish={submit} disabled={submitting}>
            <EmailItem autoComplete="email" autoFocus />
            <Button type="primary" htmlType="submit" block loading={submitting}>
              {t("forgot.submit")}
            </Button>
          </Form>
        </>
      )}
    </AuthLayout>
  );
}
