import type { components } from "../../../api/schema";

export type PermissionOut = components["schemas"]["PermissionOut"];
export type Grant = { permission: string; scope: Scope };
export type Scope = "own" | "team" | "all";
/** Permission -> the one scope it is granted for (absent: not granted). */
export type Grants = Record<string, Scope>;

export const SCOPES: Scope[] = ["own", "team", "all"];

/** The catalog grouped by module, modules and permissions in name order. */
export function groupByModule(catalog: PermissionOut[]): [string, PermissionOut[]][] {
  const groups = new Map<string, PermissionOut[]>();
  for (const permission of catalog) {
    const group = groups.get(permission.module) ?? [];
    group.push(permission);
    groups.set(permission.module, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([module, list]) => [module, [...list].sort((a, b) => a.name.localeCompare(b.name))]);
}

/**
 * The scopes a permission can be granted for: own/team/all when the catalog says it is
 * scoped, else "all" only; none for an owners-only permission (no custom role may hold it).
 */
export function scopesOf(permission: PermissionOut): Scope[] {
  if (permission.owner_only) return [];
  return permission.scoped ? SCOPES : ["all"];
}

/**
 * Tick a cell: the permission is now granted for that scope; ticking the scope it already
 * has takes the grant away. A grant has one scope (a wider one includes the narrower).
 */
export function toggle(grants: Grants, permission: string, scope: Scope): Grants {
  const next = { ...grants };
  if (next[permission] === scope) delete next[permission];
  else next[permission] = scope;
  return next;
}

/** A module's permissions all granted at their widest scope, or (if they all were) none. */
export function toggleModule(grants: Grants, permissions: PermissionOut[]): Grants {
  const grantable = permissions.filter((p) => scopesOf(p).length > 0);
  const allWide = grantable.every((p) => grants[p.name] === "all");
  const next = { ...grants };
  for (const p of grantable) {
    if (allWide) delete next[p.name];
    else next[p.name] = "all";
  }
  return next;
}

export function fromGrantList(list: { permission: string; scope: string }[]): Grants {
  const grants: Grants = {};
  for (const g of list) {
    if ((SCOPES as string[]).includes(g.scope)) grants[g.permission] = g.scope as Scope;
  }
  return grants;
}

/** The ``grants`` of a role's create or change request, in a stable order. */
export function grantsPayload(grants: Grants): Grant[] {
  return Object.entries(grants)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([permission, scope]) => ({ permission, scope }));
}
