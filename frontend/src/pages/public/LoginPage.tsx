import { Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";

import { ApiError, api, unwrap } from "../../api/client";
import { useMe, useSessionChanged } from "../../app/session";
import { PageLoading } from "../../components/PageLoading";
import { AuthLayout } from "./AuthLayout";
import { FormProblem } from "./FormProblem";
import { showFieldErrors } from "./formErrors";
import { safeNext } from "./safeNext";

interface LoginValues {
  email: string;
  password: string;
}

/** Sign in, then back to where the user was sent from (``?next=``, paths of this app only). */
export default function LoginPage() {
  const { t } = useTranslation("public");
  const [form] = Form.useForm<LoginValues>();
  const [params] = useSearchParams();
  const next = safeNext(params.get("next"));
  const navigate = useNavigate();
  const me = useMe();
  const sessionChanged = useSessionChanged();
  const [problem, setProblem] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  async function onFinish(values: LoginValues) {
    setProblem(null);
    setSubmitting(true);
    try {
      await unwrap(api.POST("/api/v1/auth/login", { body: values }));
      await sessionChanged();
      navigate(next, { replace: true });
    } catch (error) {
      if (!showFieldErrors(form, error, ["email", "password"])) setProblem(error);
      if (error instanceof ApiError && error.status === 401) form.setFieldValue("password", "");
    } finally {
      setSubmitting(false);
    }
  }

  if (me.isPending && !submitting) return <PageLoading />;
  // Already signed in (another tab, or the back button): nothing to do here.
  if (me.data && !submitting) return <Navigate to={next} replace />;

  return (
    <AuthLayout
      title={t("login.title")}
      footer={
        <>
          {t("login.noAccount")} <Link to="/signup">{t("login.signUp")}</Link>
        </>
      }
    >
      <FormProblem
        error={problem}
        messages={{ 401: t("login.wrong"), 429: t("login.throttled") }}
      />
      <Form<LoginValues> form={form} layout="vertical" onFinish={onFinish} disabled={submitting}>
        <Form.Item
          label={t("fields.email")}
          name="email"
          rules={[
            { required: true, message: t("fields.emailRequired") },
            { type: "email", message: t("fields.emailInvalid") },
          ]}
        >
          <Input type="email" autoComplete="username" maxLength={254} autoFocus />
        </Form.Item>
        <Form.Item
          label={t("fields.password")}
          name="password"
          rules={[{ required: true, message: t("fields.passwordRequired") }]}
        >
          <Input.Password autoComplete="current-password" maxLength={256} />
        </Form.Item>
        <div className="auth-row">
          <Link to="/forgot-password">{t("login.forgot")}</Link>
        </div>
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t("login.submit")}
        </Button>
      </Form>
    </AuthLayout>
  );
}
