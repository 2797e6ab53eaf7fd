import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

/** Signed in, but a member of no company (the last membership was removed). */
export function NoTenant() {
  const { t } = useTranslation("shell");
  return (
    <Result
      status="info"
      title={t("noTenant.title")}
      subTitle={t("noTenant.detail")}
      extra={
        <Link to="/signup">
          <Button type="primary">{t("noTenant.create")}</Button>
        </Link>
      }
    />
  );
}
