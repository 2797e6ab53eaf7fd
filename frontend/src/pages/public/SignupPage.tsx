import { Button, Form, Input } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import { ApiError, api, unwrap } from "../../api/client";
import { useSessionChanged } from "../../app/session";
import { AuthLayout } from "./AuthLayout";
import { EmailItem, NewPasswordItem } from "./fields";
import { FormProblem } from "./FormProblem";
import { SlugField, slugBlocksSubmit } from "./SlugField";
import { suggestSlug } from "./slug";
import { useFormSubmit } from "./useFormSubmit";
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
  const { submit, submitting, problem } = useFormSubmit({
    form,
    fields: FIELDS,
    send: async (values) => {
      await unwrap(api.POST("/api/v1/signup", { body: values }));
      await sessionChanged();
      navigate("/", { replace: true });
    },
    onFailure: handleFailure,
  });

  const slug = Form.useWatch("slug", form) ?? "";
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

  function onFinish(values: SignupValues) {
    if (slugBlocksSubmit(slugStatus)) {
      if (slugStatus.state === "empty") setSlugServerError(t("slug.required"));
      form.scrollToField("slug", { focus: true });
      return;
    }
    void submit(values);
  }

  function handleFailure(error: unknown): boolean {
    if (!(error instanceof ApiError)) return false;
    if (error.status === 409) {
      setSlugServerError(t("slug.taken", { slug: form.getFieldValue("slug") }));
      form.scrollToField("slug", { focus: true });
      return true;
    }
    if (error.status === 401) {
      // The email belongs to an account: adding a company to it needs its password.
      form.setFields([{ name: "password", errors: [t("signup.existingAccount")] }]);
      form.scrollToField("password", { focus: true });
      return true;
    }
    // Shown by the slug field itself; the other fields' errors are placed after this.
    const slugError = error.fieldErrors().slug;
    if (slugError) setSlugServerError(slugError);
    return false;
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
        <EmailItem autoComplete="email" />
        <NewPasswordItem label={t("fields.password")} />
        <Button type="primary" htmlType="submit" block loading={submitting}>
          {t("signup.submit")}
        </Button>
      </Form>
    </AuthLayout>
  );
}
