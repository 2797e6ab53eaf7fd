import { Result } from "antd";
import { useTranslation } from "react-i18next";

import { LinkButton } from "./LinkButton";

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t("notFound.title")}
      subTitle={t("notFound.detail")}
      extra={<LinkButton to="/">{t("notFound.home")}</LinkButton>}
    />
  );
}
