import { Button, Form, Input } from "antd";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router-dom";

import { ApiError, api, unwrap } from "../../api/client";
import { useMe, useSessionChanged } from "../../app/session";
import { PageLoading } from "../../components/PageLoading";
import { AuthLayout } from "./AuthLayout";
import { EmailItem } from "./fields";
import { FormProblem } from "./FormProblem";
import { safeNext } from "./safeNext";
import { useFormSubmit } from "./useFormSubmit";

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
  const { submit, submitting, problem } = useFormSubmit({
    form,
    fields: ["email", "password"],
    send: async (values) => {
      await unwrap(api.POST("/api/v1/auth/login", { body: values }));
      await sessionChanged();
      navigate(next, { replace: true });
    },
    onFailure: (error) => {
      if (error instanceof ApiError && error.status === 401) form.setFieldValue("password", "");
      return false;
    },
  });

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
      <Form<LoginValues> form={form} layout="vertical" onFinish={submit} disabled={submitting}>
        <EmailItem autoComplete="username" autoFocus />
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
