import { Button, Form, Input, Result } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { useSessionChanged } from "../../app/session";
import { AuthLayout } from "./AuthLayout";
import { BadLink } from "./BadLink";
import { FormProblem } from "./FormProblem";
import { showFieldErrors } from "./formErrors";
import { isBadLink } from "./linkToken";
import { PasswordStrength } from "./PasswordStrength";
import { PASSWORD_MAX } from "./passwordStrength";

interface ResetValues {
  password: string;
  confirm: string;
}

/** A new password from the emailed link; every session of the account ends. */
export default function ResetPasswordPage() {
  const { t } = useTranslation("public");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [form] = Form.useForm<ResetValues>();
  const password = Form.useWatch("password", form) ?? "";
  const sessionChanged = useSessionChanged();
  const [state, setState] = useState<"form" | "done" | "badLink">(token ? "form" : "badLink");
  const [problem, setProblem] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onFinish(values: ResetValues) {
    setProblem(null);
    setSubmitting(true);
    try {
      await unwrap(api.POST("/api/v1/auth/password-reset", { body: { token, password: values.password } }));
      // The server signed every session out, this browser's too.
      await sessionChanged();
      setState("done");
    } catch (error) {
      if (isBadLink(error)) setState("badLink");
      else if (!showFieldErrors(form, error, ["password"])) setProblem(error);
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <AuthLayout title={t("reset.title")} footer={<Link to="/login">{t("links.toLogin")}</Link>}>
      {state === "badLink" && (
        <BadLink
          title={t("reset.badLinkTitle")}
          detail={t("reset.badLink")}
          action={{ to: "/forgot-password", label: t("reset.newLink") }}
        />
      )}
      {state === "done" && (
        <Result
          status="success"
          title={t("reset.doneTitle")}
          subTitle={t("reset.done")}
          extra={
            <Link to="/login">
              <Button type="primary">{t("links.toLogin")}</Button>
            </Link>
          }
        />
      )}
      {state === "form" && (
        <>
          <FormProblem error={problem} />
          <Form<ResetValues> form={form} layout="vertical" onFinish={onFinish} disabled={submitting}>
            <Form.Item
              label={t("reset.password")}
              name="password"
              rules={[{ required: true, message: t("fields.passwordRequired") }]}
              extra={<PasswordStrength password={password} />}
            >
              <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX} autoFocus />
            </Form.Item>
            <Form.Item
              label={t("reset.confirm")}
              name="confirm"
              dependencies={["password"]}
              rules={[
                { required: true, message: t("reset.confirmRequired") },
                ({ getFieldValue }) => ({
                  validator: (_, value) =>
                    !value || value === getFieldValue("password")
                      ? Promise.resolve()
                      : Promise.reject(new Error(t("reset.mismatch"))),
                }),
              ]}
            >
              <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX} />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={submitting}>
              {t("reset.submit")}
            </Button>
          </Form>
        </>
      )}
    </AuthLayout>
  );
}
