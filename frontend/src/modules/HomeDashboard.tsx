import { AppstoreAddOutlined } from "@ant-design/icons";
import { Empty, Tabs } from "antd";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router-dom";

import { can, useMe } from "../app/session";
import { ErrorNotice } from "../components/ErrorNotice";
import { LinkButton } from "../components/LinkButton";
import { PageLoading } from "../components/PageLoading";
import { PageHeader, Screen } from "./common";
import { DashboardBody } from "./DashboardView";
import { useDashboards } from "./metadata";

/** The start page: the dashboards of the enabled modules, a tab each. */
export default function HomeDashboard() {
  const { t } = useTranslation("modules");
  const me = useMe();
  const dashboards = useDashboards();
  const [params, setParams] = useSearchParams();
  if (dashboards.isPending || me.isPending) return <PageLoading />;
  if (dashboards.isError) {
    return (
      <Screen>
        <ErrorNotice error={dashboards.error} retry={() => void dashboards.refetch()} />
      </Screen>
    );
  }
  const title = me.data?.tenant?.name ?? t("home.title");
  if (dashboards.data.length === 0) {
    const noModules = (me.data?.modules ?? []).length === 0;
    const admin = can(me.data, "modules.module.manage");
    return (
      <Screen>
        <PageHeader title={title} />
        <Empty
          image={<AppstoreAddOutlined style={{ fontSize: 56, color: "#0b4fa8" }} aria-hidden />}
          description={
            noModules
              ? admin
                ? t("home.noModulesAdmin")
                : t("home.noModulesMember")
              : t("home.noDashboards")
          }
        >
          {admin ? <LinkButton to="/admin/modules">{t("home.chooseModules")}</LinkButton> : null}
        </Empty>
      </Screen>
    );
  }
  const active = params.get("tab") ?? dashboards.data[0]!.name;
  return (
    <Screen>
      <PageHeader title={title} />
      <Tabs
        activeKey={active}
        onChange={(key) => {
          const next = new URLSearchParams(params);
          next.set("tab", key);
          setParams(next, { replace: true });
        }}
        items={dashboards.data.map((dashboard) => ({
          key: dashboard.name,
          label: dashboard.label,
          children: <DashboardBody dashboard={dashboard} heading={2} />,
        }))}
      />
    </Screen>
  );
}
