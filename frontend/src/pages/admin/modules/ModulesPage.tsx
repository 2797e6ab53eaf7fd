import { AppstoreOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  List,
  Switch,
  Tag,
  Typography,
} from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { api, unwrap } from "../../../api/client";
import { can, useMe } from "../../../app/session";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { PageLoading } from "../../../components/PageLoading";
import { AdminPage } from "../shared/AdminPage";
import { errorText } from "../shared/fieldErrors";
import { useFormatDate } from "../shared/format";
import { TypeToConfirm } from "../shared/TypeToConfirm";
import { dependenciesOf, moduleState, type ModuleOut } from "./dependencies";
import { StatusTag } from "../shared/StatusTag";

const MODULES_KEY = ["admin", "modules"] as const;

export default function ModulesPage() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const modules = useQuery({
    queryKey: MODULES_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/modules")),
  });
  const canManage = can(me.data, "modules.module.manage");

  return (
    <AdminPage title={t("modules.title")} description={t("modules.description")}>
      {canManage && <FailedPlugins />}
      {modules.isPending ? (
        <PageLoading />
      ) : modules.isError ? (
        <ErrorNotice error={modules.error} retry={() => void modules.refetch()} />
      ) : modules.data.length === 0 ? (
        <Empty description={t("modules.empty")} />
      ) : (
        <List
          grid={{ gutter: 16, xs: 1, sm: 1, md: 2, xl: 3 }}
          dataSource={modules.data}
          rowKey="name"
          renderItem={(module) => (
            <List.Item>
              <ModuleCard module={module} all={modules.data} />
            </List.Item>
          )}
        />
      )}
    </AdminPage>
  );
}

/** Plugins installed on the server that did not load: the admin can tell the operator why. */
function FailedPlugins() {
  const { t } = useTranslation("admin");
  const plugins = useQuery({
    queryKey: ["admin", "plugins"],
    queryFn: () => unwrap(api.GET("/api/v1/plugins")),
  });
  const failed = plugins.data?.failed ?? [];
  if (failed.length === 0) return null;
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      title={t("modules.failedTitle", { count: failed.length })}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 20 }}>
          {failed.map((f) => (
            <li key={f.name}>
              <Typography.Text strong>{f.name}</Typography.Text> (
              {t(`modules.stage.${f.stage}`, f.stage)}
              ): {f.reason}
            </li>
          ))}
        </ul>
      }
    />
  );
}

function ModuleCard({ module, all }: { module: ModuleOut; all: ModuleOut[] }) {
  const { t } = useTranslation("admin");
  const { message, modal } = App.useApp();
  const formatDate = useFormatDate();
  const me = useMe();
  const client = useQueryClient();
  const [purging, setPurging] = useState(false);
  const canManage = can(me.data, "modules.module.manage");
  const canPurge = can(me.data, "modules.module.purge");
  const deps = dependenciesOf(module, all);
  const state = moduleState(module);
  const names = (list: ModuleOut[]) => list.map((m) => m.label).join(", ");
  const labelOf = (name: string) => all.find((m) => m.name === name)?.label ?? name;

  // Switching a module changes the member's permissions and the shell's menus: reload all.
  const refresh = () => client.invalidateQueries();

  const enable = useMutation({
    mutationFn: (withDependencies: boolean) =>
      unwrap(
        api.POST("/api/v1/modules/{name}/enable", {
          params: { path: { name: module.name } },
          body: { with_dependencies: withDependencies },
        }),
      ),
    onSuccess: async (data) => {
      await refresh();
      void message.success(
        t("modules.enabled", { names: data.enabled.map(labelOf).join(", ") || module.label }),
      );
    },
    onError: (error) => showRefusal(error),
  });
  const disable = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/modules/{name}/disable", { params: { path: { name: module.name } } }),
      ),
    onSuccess: async () => {
      await refresh();
      void message.success(t("modules.disabled", { name: module.label }));
    },
    onError: (error) => showRefusal(error),
  });
  const purge = useMutation({
    mutationFn: (confirm: string) =>
      unwrap(
        api.POST("/api/v1/modules/{name}/purge", {
          params: { path: { name: module.name } },
          body: { confirm },
        }),
      ),
    onSuccess: async (data) => {
      setPurging(false);
      await refresh();
      const total = Object.values(data.deleted).reduce((sum, n) => sum + n, 0);
      modal.success({
        title: t("modules.purged", { name: module.label }),
        content: t("modules.purgedCount", { count: total }),
      });
    },
  });

  // The server's refusal says what stands in the way (a dependency, a dependent): show it.
  const showRefusal = (error: unknown) =>
    modal.error({ title: t("modules.refused"), content: errorText(error, t("modules.failed")) });

  const onToggle = (on: boolean) => {
    if (on) {
      if (deps.missing.length === 0) return enable.mutate(false);
      modal.confirm({
        title: t("modules.enableWithTitle", { name: module.label }),
        content: t("modules.enableWithBody", { name: module.label, needs: names(deps.missing) }),
        okText: t("modules.enableAll"),
        cancelText: t("common:action.cancel"),
        onOk: () => enable.mutateAsync(true),
      });
      return;
    }
    if (deps.enabledDependents.length > 0) {
      modal.warning({
        title: t("modules.cannotDisableTitle", { name: module.label }),
        content: t("modules.cannotDisableBody", {
          name: module.label,
          dependents: names(deps.enabledDependents),
        }),
      });
      return;
    }
    modal.confirm({
      title: t("modules.disableTitle", { name: module.label }),
      content: t("modules.disableBody"),
      okText: t("modules.disable"),
      okButtonProps: { danger: true },
      cancelText: t("common:action.cancel"),
      onOk: () => disable.mutateAsync(),
    });
  };

  const stateTag = {
    enabled: <StatusTag tone="success">{t("modules.state.enabled")}</StatusTag>,
    disabled: <StatusTag tone="warning">{t("modules.state.disabled")}</StatusTag>,
    available: <Tag>{t("modules.state.available")}</Tag>,
  }[state];

  return (
    <Card
      title={
        <Flex gap={8} align="center" wrap>
          <AppstoreOutlined aria-hidden />
          <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>
            {module.label}
          </Typography.Title>
          {stateTag}
        </Flex>
      }
      extra={
        <Switch
          checked={module.enabled}
          disabled={!canManage}
          loading={enable.isPending || disable.isPending}
          onChange={onToggle}
          aria-label={t("modules.switch", { name: module.label })}
        />
      }
    >
      {module.description && <Typography.Paragraph>{module.description}</Typography.Paragraph>}
      <Descriptions
        size="small"
        column={1}
        items={[
          { key: "name", label: t("modules.name"), children: <code>{module.name}</code> },
          { key: "version", label: t("modules.version"), children: module.version },
          {
            key: "needs",
            label: t("modules.needs"),
            children: module.depends.length
              ? module.depends.map((name) => {
                  const found = all.find((m) => m.name === name);
                  return (
                    <StatusTag key={name} tone={found?.enabled ? "success" : "neutral"}>
                      {labelOf(name)}
                    </StatusTag>
                  );
                })
              : t("modules.none"),
          },
          {
            key: "neededBy",
            label: t("modules.neededBy"),
            children: deps.dependents.length
              ? deps.dependents.map((m) => (
                  <StatusTag key={m.name} tone={m.enabled ? "success" : "neutral"}>
                    {m.label}
                  </StatusTag>
                ))
              : t("modules.none"),
          },
          {
            key: "since",
            label: t("modules.firstEnabled"),
            children: formatDate(module.first_enabled_at),
          },
        ]}
      />
      {state === "disabled" && canPurge && (
        <Flex justify="flex-end" style={{ marginTop: 12 }}>
          <Button danger onClick={() => setPurging(true)}>
            {t("modules.purge")}
          </Button>
        </Flex>
      )}
      <PurgeModule
        open={purging}
        module={module}
        busy={purge.isPending}
        error={purge.error}
        onConfirm={(typed) => purge.mutate(typed)}
        onCancel={() => {
          setPurging(false);
          purge.reset();
        }}
      />
    </Card>
  );
}

/** Purging asks for the tenant's slug, typed again (the API refuses it otherwise). */
function PurgeModule({
  open,
  module,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  module: ModuleOut;
  busy: boolean;
  error: unknown;
  onConfirm: (typed: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("admin");
  const me = useMe();
  const slug = me.data?.tenant?.slug ?? "";
  return (
    <TypeToConfirm
      open={open}
      title={t("modules.purgeTitle", { name: module.label })}
      warning={t("modules.purgeWarning", { name: module.label })}
      expected={slug}
      label={t("modules.purgeLabel")}
      okText={t("modules.purge")}
      busy={busy}
      error={error ? errorText(error, t("modules.failed")) : undefined}
      onConfirm={onConfirm}
      onCancel={onCancel}
    />
  );
}
