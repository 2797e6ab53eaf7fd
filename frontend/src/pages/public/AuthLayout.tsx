import { Card, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { LanguageSwitch } from "../../shell/LanguageSwitch";
import "../../shell/base.css";
import "./public.css";

/** The frame of the pages before signing in: the name, the language, one card in the middle. */
export function AuthLayout({
  title,
  intro,
  children,
  footer,
}: {
  title: string;
  intro?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <>
      <div className="auth-page">
        <header className="auth-header">
          <span className="auth-brand">{t("appName")}</span>
          <LanguageSwitch size="small" />
        </header>
        <main id="main" className="auth-main">
          <Card className="auth-card">
            <Typography.Title level={1} className="auth-title">
              {title}
            </Typography.Title>
            {intro && <Typography.Paragraph type="secondary">{intro}</Typography.Paragraph>}
            {children}
          </Card>
          {footer && <div className="auth-footer">{footer}</div>}
        </main>
      </div>
    </>
  );
}
