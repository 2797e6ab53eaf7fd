import { Result } from "antd";
import { useTranslation } from "react-i18next";

import { LinkButton } from "../../components/LinkButton";

/** An emailed link that cannot be used: say so, and where a working one comes from. */
export function BadLink({ title, detail, action }: { title: string; detail: string; action?: { to: string; label: string } }) {
  const { t } = useTranslation("public");
  return (
    <Result
      status="warning"
      title={title}
      subTitle={detail}
      extra={
        <LinkButton to={action?.to ?? "/login"}>{action?.label ?? t("links.toLogin")}</LinkButton>
      }
    />
  );
}
