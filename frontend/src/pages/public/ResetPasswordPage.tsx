import { Button, Form, Input, Result } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";

import { api, unwrap } from "../../api/client";
import { useSessionChanged } from "../../app/session";
import { LinkButton } from "../../components/LinkButton";
import { AuthLayout } from "./AuthLayout";
import { BadLink } from "./BadLink";
import { NewPasswordItem } from "./fields";
import { FormProblem } from "./FormProblem";
import { isBadLink } from "./linkToken";
import { PASSWORD_MAX } from "./passwordStrength";
import { useFormSubmit } from "./useFormSubmit";

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
  const sessionChanged = useSessionChanged();
  const [state, setState] = useState<"form" | "done" | "badLink">(token ? "form" : "badLink");
  const { submit, submitting, problem } = useFormSubmit({
    form,
    fields: ["password"],
    send: async (values) => {
      await unwrap(api.POST("/api/v1/auth/password-reset", { body: { token, password: values.password } }));
      // The server signed every session out, this browser's too.
      await sessionChanged();
      setState("done");
    },
    onFailure: (error) => {
      if (!isBadLink(error)) return false;
      setState("badLink");
      return true;
    },
  });

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
          extra={<LinkButton to="/login">{t("links.toLogin")}</LinkButton>}
        />
      )}
      {state === "form" && (
        <>
          <FormProblem error={problem} />
          <Form<ResetValues> form={form} layout="vertical" onFinish={submit} disabled={submitting}>
            <NewPasswordItem label={t("reset.password")} autoFocus />
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
