import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

/** An emailed link that cannot be used: say so, and where a working one comes from. */
export function BadLink({ title, detail, action }: { title: string; detail: string; action?: { to: string; label: string } }) {
  const { t } = useTranslation("public");
  return (
    <Result
      status="warning"
      title={title}
      subTitle={detail}
      extra={
        <Link to={action?.to ?? "/login"}>
          <Button type="primary">{action?.label ?? t("links.toLogin")}</Button>
        </Link>
      }
    />
  );
}
