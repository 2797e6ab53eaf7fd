import { Checkbox, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useTranslation } from "react-i18next";

import {
  groupByModule,
  scopesOf,
  SCOPES,
  toggle,
  toggleModule,
  type Grants,
  type PermissionOut,
  type Scope,
} from "./matrix";
import { ScrollTable } from "../shared/ScrollTable";

interface ModuleRow {
  key: string;
  module: string;
  permissions: PermissionOut[];
  children: PermissionRow[];
}
interface PermissionRow {
  key: string;
  permission: PermissionOut;
}
type Row = ModuleRow | PermissionRow;
const isModule = (row: Row): row is ModuleRow => "module" in row;

/**
 * Which permissions a role grants, and for which records: rows are the catalog's permissions
 * grouped by module, columns the scopes (own, team, all); a permission that is not scoped has
 * only "all". Read-only for built-in roles (pass no ``onChange``).
 */
export function PermissionMatrix({
  catalog,
  grants,
  onChange,
  moduleLabel,
}: {
  catalog: PermissionOut[];
  grants: Grants;
  onChange?: (grants: Grants) => void;
  moduleLabel: (module: string) => string;
}) {
  const { t } = useTranslation("admin");
  const readOnly = !onChange;
  const rows: ModuleRow[] = groupByModule(catalog).map(([module, permissions]) => ({
    key: `module:${module}`,
    module,
    permissions,
    children: permissions.map((permission) => ({ key: permission.name, permission })),
  }));

  const scopeCell = (row: Row, scope: Scope) => {
    if (isModule(row)) {
      if (scope !== "all" || readOnly) return null;
      const grantable = row.permissions.filter((p) => scopesOf(p).length > 0);
      if (grantable.length === 0) return null;
      const wide = grantable.filter((p) => grants[p.name] === "all").length;
      return (
        <Checkbox
          checked={wide === grantable.length}
          indeterminate={wide > 0 && wide < grantable.length}
          onChange={() => onChange?.(toggleModule(grants, row.permissions))}
          aria-label={t("roles.matrix.allOfModule", { module: moduleLabel(row.module) })}
        />
      );
    }
    const { permission } = row;
    if (!scopesOf(permission).includes(scope)) return null;
    const granted = grants[permission.name];
    // A wider grant covers this scope too: shown, so the reader sees what the role reaches.
    const covered = granted !== undefined && SCOPES.indexOf(granted) > SCOPES.indexOf(scope);
    return (
      <Checkbox
        checked={granted === scope}
        indeterminate={covered}
        // Say "partly" to screen readers too, not only with the indeterminate look.
        aria-checked={covered ? "mixed" : granted === scope}
        disabled={readOnly}
        onChange={() => onChange?.(toggle(grants, permission.name, scope))}
        aria-label={t("roles.matrix.cell", {
          permission: permission.name,
          scope: t(`scope.${scope}`),
        })}
      />
    );
  };

  const columns: ColumnsType<Row> = [
    {
      title: t("roles.matrix.permission"),
      key: "permission",
      render: (_, row) =>
        isModule(row) ? (
          <Typography.Text strong>{moduleLabel(row.module)}</Typography.Text>
        ) : (
          // inline-block: the tree's indent then moves the description along with the name.
          <div style={{ display: "inline-block", verticalAlign: "top" }}>
            <Typography.Text code>{row.permission.name}</Typography.Text>
            {row.permission.owner_only && (
              <Tooltip title={t("roles.matrix.ownerOnlyHelp")}>
                <Tag style={{ marginInlineStart: 8 }}>{t("roles.matrix.ownerOnly")}</Tag>
              </Tooltip>
            )}
            <div>
              <Typography.Text type="secondary">{row.permission.description}</Typography.Text>
            </div>
          </div>
        ),
    },
    ...SCOPES.map((scope) => ({
      title: (
        <Tooltip title={t(`scopeHelp.${scope}`)}>
          <span>{t(`scope.${scope}`)}</span>
        </Tooltip>
      ),
      key: scope,
      align: "center" as const,
      width: 72,
      render: (_: unknown, row: Row) => scopeCell(row, scope),
    })),
  ];

  return (
    <ScrollTable<Row>
      size="small"
      rowKey="key"
      columns={columns}
      dataSource={rows}
      pagination={false}
      expandable={{ defaultExpandAllRows: true }}
      scroll={{ x: "max-content" }}
    />
  );
}
