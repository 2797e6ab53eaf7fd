import { Alert, Button, Form, Input, Segmented } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router-dom";

import { ApiError, api, unwrap } from "../../api/client";
import { useSessionChanged } from "../../app/session";
import { AuthLayout } from "./AuthLayout";
import { BadLink } from "./BadLink";
import { NewPasswordItem } from "./fields";
import { FormProblem } from "./FormProblem";
import { isBadLink } from "./linkToken";
import { PASSWORD_MAX } from "./passwordStrength";
import { useFormSubmit } from "./useFormSubmit";

/** New to Tessera (a name and a password make the account) or already has an account. */
type Who = "new" | "existing";

interface AcceptValues {
  name?: string;
  password: string;
}

/**
 * Joining a company from an emailed invitation. The link does not say whether the address
 * already has an account, so the user says; if they are wrong, the server's answer says so
 * and the page switches to the other way.
 */
export default function AcceptInvitationPage() {
  const { t } = useTranslation("public");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [form] = Form.useForm<AcceptValues>();
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const [who, setWho] = useState<Who>("new");
  const [badLink, setBadLink] = useState(!token);
  // Why the page switched to the other way of joining, when the server said so.
  const [switchNote, setSwitchNote] = useState<string | null>(null);
  const { submit, submitting, problem, clearProblem } = useFormSubmit({
    form,
    fields: ["name", "password"],
    send: async (values) => {
      setSwitchNote(null);
      const body = who === "new" ? { token, name: values.name, password: values.password } : { token, password: values.password };
      await unwrap(api.POST("/api/v1/invitations/accept", { body }));
      await sessionChanged();
      navigate("/", { replace: true });
    },
    onFailure: switchOnFailure,
  });

  /** A dead link, or the other way of joining than the one the user chose. */
  function switchOnFailure(error: unknown): boolean {
    if (isBadLink(error)) {
      setBadLink(true);
      return true;
    }
    if (error instanceof ApiError && error.status === 401) {
      // The address has an account: joining takes that account's password.
      setWho("existing");
      form.setFieldValue("password", "");
      setSwitchNote(t("invitation.hasAccount"));
      return true;
    }
    if (error instanceof ApiError && who === "existing" && "name" in error.fieldErrors()) {
      // No account yet: it is made here, with a name.
      setWho("new");
      setSwitchNote(t("invitation.noAccount"));
      return true;
    }
    return false;
  }

  if (badLink) {
    return (
      <AuthLayout title={t("invitation.title")}>
        <BadLink title={t("invitation.badLinkTitle")} detail={t("invitation.badLink")} />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={t("invitation.title")}
      intro={t("invitation.intro")}
      footer={<Link to="/login">{t("links.toLogin")}</Link>}
    >
      <Segmented<Who>
        block
        value={who}
        onChange={(value) => {
          setWho(value);
          clearProblem();
          setSwitchNote(null);
        }}
        options={[
          { value: "new", label: t("invitation.new") },
          { value: "existing", label: t("invitation.existing") },
        ]}
        aria-label={t("invitation.whoLabel")}
        style={{ marginBottom: 16 }}
      />
      <FormProblem error={problem} />
      {switchNote && <Alert type="info" showIcon title={switchNote} style={{ marginBottom: 16 }} />}
      <Form<AcceptValues> form={form} layout="vertical" onFinish={submit} disabled={submitting}>
        {who === "new" && (
          <Form.Item
            label={t("invitation.name")}
            name="name"
            rules={[{ required: true, whitespace: true, message: t("signup.nameRequired") }]}
          >
            <Input autoComplete="name" maxLength={200} />
          </Form.Item>
        )}
        {who === "new" ? (
          <NewPasswordItem label={t("invitation.newPassword")} />
        ) : (
          <Form.Item
            label={t("fields.password")}
            name="password"
            rules={[{ required: true, message: t("fields.passwordRequired") }]}
          >
            <Input.Password autoComplete="current-password" maxLength={PASSWORD_MAX} />
          </Form.Item>
        )}
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {who === "new" ? t("invitation.submitNew") : t("invitation.submitExisting")}
        </Button>
      </Form>
    </AuthLayout>
  );
}
