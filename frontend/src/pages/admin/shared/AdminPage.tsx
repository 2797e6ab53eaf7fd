import { Flex, Result, Typography } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { can, useMe } from "../../../app/session";
import { PageLoading } from "../../../components/PageLoading";

/** The frame of every admin page: its heading (the page's one h1), a line saying what it is for. */
export function AdminPage({
  title,
  description,
  extra,
  children,
}: {
  title: string;
  description?: string;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section style={{ padding: "16px clamp(12px, 3vw, 24px)", maxWidth: 1280 }}>
        <Flex justify="space-between" align="flex-start" gap={12} wrap style={{ marginBottom: 16 }}>
          <div style={{ minWidth: 0 }}>
            <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
              {title}
            </Typography.Title>
            {description && (
              <Typography.Paragraph type="secondary" style={{ margin: "4px 0 0" }}>
                {description}
              </Typography.Paragraph>
            )}
          </div>
          {extra && (
            <Flex gap={8} wrap>
              {extra}
            </Flex>
          )}
        </Flex>
        {children}
      </section>
  );
}

/**
 * A page only for holders of ``permission``: the server refuses the calls anyway, so say so
 * up front instead of showing a page of errors.
 */
export function RequirePermission({
  permission,
  children,
}: {
  permission: string;
  children: ReactNode;
}) {
  const { t } = useTranslation("admin");
  const me = useMe();
  if (me.isPending) return <PageLoading />;
  if (!can(me.data, permission)) {
    return <Result status="403" title={t("forbidden.title")} subTitle={t("forbidden.detail")} />;
  }
  return <>{children}</>;
}
