import { MenuOutlined } from "@ant-design/icons";
import { Button, Drawer, Grid, Layout } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet } from "react-router-dom";

import { useMe } from "../app/session";
import { ADMIN_PAGES } from "../pages/admin/menu";
import { GlobalSearch } from "./GlobalSearch";
import { NoTenant } from "./NoTenant";
import { buildNavigation } from "./navigation";
import { NotificationBell } from "./notifications/NotificationBell";
import { useMenus } from "../modules/metadata";
import { useModuleLabels } from "./queries";
import { SideMenu } from "./SideMenu";
import { TenantSwitcher } from "./TenantSwitcher";
import { UserMenu } from "./UserMenu";
import "./base.css";
import "./shell.css";

/**
 * The frame of every signed-in page: the menu (a side bar, or a drawer on narrow screens),
 * the header with search, notifications, the company and the user, and the page itself in
 * the main landmark (with a skip link to it for keyboard users).
 */
export function Shell() {
  const { t } = useTranslation(["shell", "admin"]);
  const me = useMe().data;
  const menus = useMenus();
  const moduleLabels = useModuleLabels();
  const screens = Grid.useBreakpoint();
  const wide = Boolean(screens.lg);
  const compact = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const groups = useMemo(
    () => buildNavigation({ menus: menus.data ?? [], me, adminPages: ADMIN_PAGES, t, moduleLabels }),
    [menus.data, me, t, moduleLabels],
  );

  // RequireSession renders the shell only for a signed-in user.
  if (!me) return null;
  const hasTenant = Boolean(me.tenant);

  return (
    <>
      <Layout className="shell">
        <a className="skip-link" href="#main">
          {t("skipToContent")}
        </a>
        <Layout.Header className="shell-header">
          {!wide && hasTenant && (
            <Button
              type="text"
              icon={<MenuOutlined />}
              aria-label={t("nav.open")}
              aria-expanded={drawerOpen}
              onClick={() => setDrawerOpen(true)}
            />
          )}
          <Link to="/" className="shell-brand">
            {t("common:appName")}
          </Link>
          {hasTenant && (
            <div className="shell-search">
              <GlobalSearch compact={compact} />
            </div>
          )}
          <div className="shell-actions">
            {!compact && <TenantSwitcher me={me} />}
            {hasTenant && <NotificationBell />}
            <UserMenu me={me} compact={compact} />
          </div>
        </Layout.Header>
        <Layout hasSider={wide && hasTenant}>
          {wide && hasTenant && (
            <Layout.Sider width={232} theme="light" className="shell-sider">
              <SideMenu groups={groups} />
            </Layout.Sider>
          )}
          {!wide && hasTenant && (
            <Drawer
              open={drawerOpen}
              onClose={() => setDrawerOpen(false)}
              placement="left"
              size={280}
              title={t("nav.label")}
              styles={{ body: { padding: 0 } }}
            >
              {compact && me.tenants.length > 1 && (
                <div className="drawer-tenant">
                  <TenantSwitcher me={me} block />
                </div>
              )}
              <SideMenu groups={groups} onNavigate={() => setDrawerOpen(false)} />
            </Drawer>
          )}
          {/* antd's Content is the page's one <main> landmark; the skip link lands on it. */}
          <Layout.Content className="shell-content">
            <div id="main" tabIndex={-1} className="shell-main">
              {hasTenant ? <Outlet /> : <NoTenant />}
            </div>
          </Layout.Content>
        </Layout>
      </Layout>
    </>
  );
}
