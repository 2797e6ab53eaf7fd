import { Result } from "antd";
import { useTranslation } from "react-i18next";

import { LinkButton } from "../components/LinkButton";

/** Signed in, but a member of no company (the last membership was removed). */
export function NoTenant() {
  const { t } = useTranslation("shell");
  return (
    <Result
      status="info"
      title={t("noTenant.title")}
      subTitle={t("noTenant.detail")}
      extra={<LinkButton to="/signup">{t("noTenant.create")}</LinkButton>}
    />
  );
}
