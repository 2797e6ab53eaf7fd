import { App, Select, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import { api, unwrap, withoutReads } from "../api/client";
import { useSessionChanged, type Me } from "../app/session";

/**
 * Which company the session works in. A member of one company sees its name; a member of
 * several picks another, and the app starts again from its start page in that company.
 */
export function TenantSwitcher({ me, block }: { me: Me; block?: boolean }) {
  const { t } = useTranslation("shell");
  const { message } = App.useApp();
  const navigate = useNavigate();
  const sessionChanged = useSessionChanged();
  const [switching, setSwitching] = useState(false);

  if (me.tenants.length < 2) {
    return me.tenant ? (
      <Typography.Text strong className="tenant-name" ellipsis>
        {me.tenant.name}
      </Typography.Text>
    ) : null;
  }

  async function switchTo(slug: string) {
    if (slug === me.tenant?.slug) return;
    setSwitching(true);
    try {
      await withoutReads(() => unwrap(api.POST("/api/v1/me/tenant", { body: { tenant: slug } })));
      // Everything cached belonged to the other company.
      await sessionChanged();
      navigate("/", { replace: true });
    } catch {
      message.error(t("tenant.failed"));
    } finally {
      setSwitching(false);
    }
  }

  return (
    <Select
      className="tenant-switcher"
      value={me.tenant?.slug}
      placeholder={t("tenant.choose")}
      onChange={(slug: string) => void switchTo(slug)}
      loading={switching}
      disabled={switching}
      aria-label={t("tenant.label")}
      popupMatchSelectWidth={false}
      style={block ? { width: "100%" } : { maxWidth: 220, minWidth: 140 }}
      options={me.tenants.map((tenant) => ({
        value: tenant.slug,
        label: tenant.name,
        title: `${tenant.name} (${t(`roles.${tenant.role}`, { defaultValue: tenant.role })})`,
      }))}
    />
  );
}
