import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert, App, Button, Drawer, Form, Input, Space, Typography } from "antd";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, api, unwrap } from "../../../api/client";
import type { components } from "../../../api/schema";
import { can, useMe } from "../../../app/session";
import { ErrorNotice } from "../../../components/ErrorNotice";
import { PageLoading } from "../../../components/PageLoading";
import { errorText, fieldPath, showFieldErrors } from "../shared/fieldErrors";
import { PERMISSIONS_KEY, ROLES_KEY } from "./keys";
import { fromGrantList, grantsPayload, type Grants } from "./matrix";
import { PermissionMatrix } from "./PermissionMatrix";
import { useModuleLabel } from "./useModuleLabel";

export type EditorTarget =
  | { kind: "new" }
  | { kind: "custom"; role: components["schemas"]["RoleOut"] }
  | { kind: "builtin"; role: components["schemas"]["BuiltinRoleOut"] };

interface RoleForm {
  name: string;
  description: string;
}

/** A drawer with a role's name, description and permission matrix; read-only for built-ins. */
export function RoleEditor({
  target,
  onClose,
}: {
  target: EditorTarget | null;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  const me = useMe();
  const { message } = App.useApp();
  const client = useQueryClient();
  const moduleLabel = useModuleLabel();
  const [form] = Form.useForm<RoleForm>();
  const [grants, setGrants] = useState<Grants>({});
  const [grantError, setGrantError] = useState<string | null>(null);
  const editable =
    target !== null && target.kind !== "builtin" && can(me.data, "access.role.manage");
  const catalog = useQuery({
    queryKey: PERMISSIONS_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/permissions")),
    enabled: target !== null,
  });

  useEffect(() => {
    if (target === null) return;
    setGrantError(null);
    if (target.kind === "new") {
      form.setFieldsValue({ name: "", description: "" });
      setGrants({});
    } else {
      setGrants(fromGrantList(target.role.grants));
      if (target.kind === "custom") {
        form.setFieldsValue({ name: target.role.name, description: target.role.description });
      }
    }
  }, [target, form]);

  const save = useMutation({
    mutationFn: async (values: RoleForm) => {
      const body = { ...values, grants: grantsPayload(grants) };
      if (target?.kind === "custom") {
        return unwrap(
          api.PATCH("/api/v1/roles/{role_id}", {
            params: { path: { role_id: target.role.id } },
            body,
          }),
        );
      }
      return unwrap(api.POST("/api/v1/roles", { body }));
    },
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ROLES_KEY });
      void message.success(t("roles.saved"));
      onClose();
    },
    onError: (error) => {
      // Errors about a grant ("grants[3].scope") belong to the matrix, not a form field.
      const shown = showFieldErrors(
        form,
        error,
        ([name]) => name === "name" || name === "description",
      );
      const grantProblem = Object.entries(
        error instanceof ApiError ? error.fieldErrors() : {},
      ).find(([field]) => fieldPath(field)[0] === "grants");
      if (grantProblem) {
        const index = Number(fieldPath(grantProblem[0])[1]);
        const permission = grantsPayload(grants)[index]?.permission ?? "";
        setGrantError(`${permission}: ${grantProblem[1]}`);
      } else if (!shown) {
        setGrantError(errorText(error, t("roles.saveFailed")));
      }
    },
  });

  const title =
    target === null
      ? ""
      : target.kind === "new"
        ? t("roles.create")
        : target.kind === "builtin"
          ? t("roles.builtinTitle", { name: t(`role.${target.role.name}`, target.role.name) })
          : target.role.name;

  return (
    <Drawer
      open={target !== null}
      title={title}
      size="min(960px, 100vw)"
      onClose={onClose}
      destroyOnHidden
      footer={
        editable && (
          <Space style={{ display: "flex", justifyContent: "flex-end" }}>
            <Button onClick={onClose}>{t("common:action.cancel")}</Button>
            <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
              {t("common:action.save")}
            </Button>
          </Space>
        )
      }
    >
      {target?.kind === "builtin" && (
        <Alert
          type="info"
          showIcon
          title={t("roles.builtinReadOnly")}
          style={{ marginBottom: 16 }}
        />
      )}
      {target?.kind !== "builtin" && (
        <Form
          form={form}
          layout="vertical"
          disabled={!editable}
          onFinish={(values) => save.mutate(values)}
        >
          <Form.Item
            name="name"
            label={t("roles.name")}
            rules={[{ required: true, whitespace: true, message: t("roles.nameRequired") }]}
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="description" label={t("roles.descriptionLabel")}>
            <Input.TextArea maxLength={400} autoSize={{ minRows: 1, maxRows: 4 }} />
          </Form.Item>
        </Form>
      )}
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {t("roles.permissions")}
      </Typography.Title>
      {editable && (
        <Typography.Paragraph type="secondary">{t("roles.matrixHelp")}</Typography.Paragraph>
      )}
      {grantError && (
        <Alert type="error" showIcon title={grantError} style={{ marginBottom: 12 }} />
      )}
      {catalog.isPending ? (
        <PageLoading />
      ) : catalog.isError ? (
        <ErrorNotice error={catalog.error} retry={() => void catalog.refetch()} />
      ) : (
        <PermissionMatrix
          catalog={catalog.data}
          grants={grants}
          moduleLabel={moduleLabel}
          onChange={editable ? setGrants : undefined}
        />
      )}
    </Drawer>
  );
}
