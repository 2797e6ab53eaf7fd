import { Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import { ApiError, api, unwrap } from "../../api/client";
import { useSessionChanged } from "../../app/session";
import { AuthLayout } from "./AuthLayout";
import { FormProblem } from "./FormProblem";
import { showFieldErrors } from "./formErrors";
import { PasswordStrength } from "./PasswordStrength";
import { PASSWORD_MAX } from "./passwordStrength";
import { SlugField, slugBlocksSubmit } from "./SlugField";
import { suggestSlug } from "./slug";
import { useSlugAvailability } from "./useSlugAvailability";

interface SignupValues {
  company_name: string;
  slug: string;
  name: string;
  email: string;
  password: string;
}

const FIELDS = ["company_name", "slug", "name", "email", "password"] as const;

/** A new company and its first administrator, signed in at once. */
export default function SignupPage() {
  const { t } = useTranslation("public");
  const [form] = Form.useForm<SignupValues>();
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  // Until the user types a slug of their own, it follows the company name.
  const [slugEdited, setSlugEdited] = useState(false);
  const [slugServerError, setSlugServerError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  const slug = Form.useWatch("slug", form) ?? "";
  const email = Form.useWatch("email", form) ?? "";
  const password = Form.useWatch("password", form) ?? "";
  const slugStatus = useSlugAvailability(slug);

  function onValuesChange(changed: Partial<SignupValues>) {
    if (changed.company_name !== undefined && !slugEdited) {
      form.setFieldValue("slug", suggestSlug(changed.company_name));
      setSlugServerError(null);
    }
  }

  function onSlugEdit(typed: string) {
    // An emptied field goes back to following the company name.
    setSlugEdited(typed !== "");
    setSlugServerError(null);
  }

  async function onFinish(values: SignupValues) {
    if (slugBlocksSubmit(slugStatus)) {
      if (slugStatus.state === "empty") setSlugServerError(t("slug.required"));
      form.scrollToField("slug", { focus: true });
      return;
    }
    setProblem(null);
    setSubmitting(true);
    try {
      await unwrap(api.POST("/api/v1/signup", { body: values }));
      await sessionChanged();
      navigate("/", { replace: true });
    } catch (error) {
      handleError(error);
    } finally {
      setSubmitting(false);
    }
  }

  function handleError(error: unknown) {
    if (error instanceof ApiError) {
      if (error.status === 409) {
        setSlugServerError(t("slug.taken", { slug: form.getFieldValue("slug") }));
        form.scrollToField("slug", { focus: true });
        return;
      }
      if (error.status === 401) {
        // The email belongs to an account: adding a company to it needs its password.
        form.setFields([{ name: "password", errors: [t("signup.existingAccount")] }]);
        form.scrollToField("password", { focus: true });
        return;
      }
      const slugError = error.fieldErrors().slug;
      if (slugError) setSlugServerError(slugError);
      if (showFieldErrors(form, error, FIELDS) || slugError) return;
    }
    setProblem(error);
  }

  return (
    <AuthLayout
      title={t("signup.title")}
      intro={t("signup.intro")}
      footer={
        <>
          {t("signup.haveAccount")} <Link to="/login">{t("signup.logIn")}</Link>
        </>
      }
    >
      <FormProblem error={problem} />
      <Form<SignupValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onValuesChange={onValuesChange}
        onFinish={onFinish}
        disabled={submitting}
      >
        <Form.Item
          label={t("signup.companyName")}
          name="company_name"
          rules={[{ required: true, whitespace: true, message: t("signup.companyNameRequired") }]}
        >
          <Input autoComplete="organization" maxLength={200} />
        </Form.Item>
        <SlugField status={slugStatus} slug={slug} serverError={slugServerError} onEdit={onSlugEdit} />
        <Form.Item
          label={t("signup.name")}
          name="name"
          rules={[{ required: true, whitespace: true, message: t("signup.nameRequired") }]}
        >
          <Input autoComplete="name" maxLength={200} />
        </Form.Item>
        <Form.Item
          label={t("fields.email")}
          name="email"
          rules={[
            { required: true, message: t("fields.emailRequired") },
            { type: "email", message: t("fields.emailInvalid") },
          ]}
        >
          <Input type="email" autoComplete="email" maxLength={254} />
        </Form.Item>
        <Form.Item
          label={t("fields.password")}
          name="password"
          rules={[{ required: true, message: t("fields.passwordRequired") }]}
          extra={<PasswordStrength password={password} email={email} />}
        >
          <Input.Password autoComplete="new-password" maxLength={PASSWORD_MAX} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t("signup.submit")}
        </Button>
      </Form>
    </AuthLayout>
  );
}
