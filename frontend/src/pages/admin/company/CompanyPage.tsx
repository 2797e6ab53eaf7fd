import { DeleteOutlined, UploadOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Card, Col, Flex, Form, Input, Row, Typography, Upload } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { can, useMe } from "../../../app/session";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { PageLoading } from "../../../components/PageLoading";
import { AdminPage } from "../shared/AdminPage";
import { ConfirmAction } from "../shared/ConfirmAction";
import { errorText, showFieldErrors } from "../shared/fieldErrors";
import { LOGO_URL, LOGO_TYPES, MAX_LOGO_BYTES, changedTexts, sendLogo, type CompanyTexts } from "./company";

export type CompanyOut = components["schemas"]["CompanyOut"];
export const COMPANY_KEY = ["admin", "company"] as const;
export const MANAGE = "company.profile.manage";

/** The company profile printed on the tenant's documents: its texts and its logo. */
export default function CompanyPage() {
  const { t } = useTranslation("admin");
  const company = useQuery({ queryKey: COMPANY_KEY, queryFn: () => unwrap(api.GET("/api/v1/company")) });
  // Who may change it decides what the page offers: no read-only flash before that is known.
  const me = useMe();
  return (
    <AdminPage title={t("company.title")} description={t("company.description")}>
      {company.isPending || me.isPending ? (
        <PageLoading />
      ) : company.isError ? (
        <ErrorNotice error={company.error} retry={() => void company.refetch()} />
      ) : (
        <Row gutter={[24, 24]}>
          <Col xs={24} lg={15}>
            <ProfileForm company={company.data} />
          </Col>
          <Col xs={24} lg={9}>
            <LogoCard company={company.data} />
          </Col>
        </Row>
      )}
    </AdminPage>
  );
}

function ProfileForm({ company }: { company: CompanyOut }) {
  const { t } = useTranslation("admin");
  const { message } = App.useApp();
  const me = useMe();
  const client = useQueryClient();
  const [form] = Form.useForm<CompanyTexts>();
  const [problem, setProblem] = useState<string | null>(null);
  const manages = can(me.data, MANAGE);
  useEffect(() => form.setFieldsValue(company), [form, company]);
  const save = useMutation({
    mutationFn: (values: CompanyTexts) => unwrap(api.PATCH("/api/v1/company", { body: changedTexts(company, values) })),
    onSuccess: (saved) => {
      client.setQueryData(COMPANY_KEY, saved);
      void message.success(t("company.saved"));
    },
    onError: (error) => {
      if (!showFieldErrors(form, error)) setProblem(errorText(error, t("company.saveFailed")));
    },
  });
  const required = [{ required: true, whitespace: true, message: t("company.legalNameRequired") }];
  return (
    <Card title={t("company.details")}>
      <Form<CompanyTexts>
        form={form}
        layout="vertical"
        initialValues={company}
        disabled={!manages}
        onFinish={(values) => {
          setProblem(null);
          save.mutate(values);
        }}
      >
        {problem ? <Alert type="error" showIcon title={problem} role="alert" style={{ marginBottom: 16 }} /> : null}
        {!manages ? <Alert type="info" showIcon title={t("company.readOnly")} style={{ marginBottom: 16 }} /> : null}
        <Form.Item name="legal_name" label={t("company.legalName")} rules={required} extra={t("company.legalNameHelp")}>
          <Input maxLength={200} autoComplete="organization" />
        </Form.Item>
        <Form.Item name="address" label={t("company.address")}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 6 }} maxLength={500} autoComplete="street-address" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="tax_id" label={t("company.taxId")}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="phone" label={t("company.phone")}>
              <Input maxLength={50} autoComplete="tel" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="email" label={t("company.email")} rules={[{ type: "email", message: t("company.emailInvalid") }]}>
          <Input maxLength={254} autoComplete="email" />
        </Form.Item>
        {manages ? (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t("company.save")}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

/** The logo as documents print it, and a way to replace or remove it. */
function LogoCard({ company }: { company: CompanyOut }) {
  const { t } = useTranslation("admin");
  const { message } = App.useApp();
  const me = useMe();
  const client = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const manages = can(me.data, MANAGE);
  const settle = (saved: CompanyOut) => {
    setProblem(null);
    client.setQueryData(COMPANY_KEY, saved);
  };
  const upload = useMutation({
    mutationFn: (file: File) => sendLogo(file),
    onSuccess: (saved) => {
      settle(saved);
      void message.success(t("company.logoSaved"));
    },
    onError: (error) => setProblem(errorText(error, t("company.logoFailed"))),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/company/logo")),
    onSuccess: (saved) => {
      settle(saved);
      void message.success(t("company.logoRemoved"));
    },
    onError: (error) => setProblem(errorText(error, t("company.logoFailed"))),
  });
  const choose = (file: File) => {
    if (!LOGO_TYPES.includes(file.type)) setProblem(t("company.logoType"));
    else if (file.size > MAX_LOGO_BYTES) setProblem(t("company.logoTooLarge"));
    else upload.mutate(file);
    // Sent here, not by the Upload component.
    return false;
  };
  return (
    <Card title={t("company.logo")}>
      <Flex vertical gap={12} align="flex-start">
        {company.logo_file_id ? (
          <img
            // The file's id in the URL: a new logo is a new address, never a cached old one.
            src={`${LOGO_URL}?v=${encodeURIComponent(company.logo_file_id)}`}
            alt={t("company.logoAlt", { company: company.legal_name })}
            style={{ maxWidth: "100%", maxHeight: 120, objectFit: "contain", border: "1px solid #d9d9d9", borderRadius: 6, padding: 8 }}
          />
        ) : (
          <Typography.Text type="secondary">{t("company.noLogo")}</Typography.Text>
        )}
        <Typography.Text type="secondary">{t("company.logoHelp")}</Typography.Text>
        {problem ? <Alert type="error" showIcon title={problem} role="alert" /> : null}
        {manages ? (
          <Flex gap={8} wrap>
            <Upload accept={LOGO_TYPES.join(",")} showUploadList={false} beforeUpload={choose} maxCount={1}>
              <Button icon={<UploadOutlined aria-hidden />} loading={upload.isPending}>
                {company.logo_file_id ? t("company.replaceLogo") : t("company.uploadLogo")}
              </Button>
            </Upload>
            {company.logo_file_id ? (
              <ConfirmAction
                label={t("company.removeLogo")}
                title={t("company.removeLogoConfirm")}
                description={t("company.removeLogoDetail")}
                icon={<DeleteOutlined aria-hidden />}
                onConfirm={() => remove.mutateAsync()}
              />
            ) : null}
          </Flex>
        ) : null}
      </Flex>
    </Card>
  );
}
