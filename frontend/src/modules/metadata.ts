import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../api/client";
import { useMe } from "../app/session";
import type { DashboardMeta, FieldMeta, MenuMeta, ResourceMeta } from "./types";

// Metadata changes only when a module is switched on or off, or the language (either clears
// the cache); it comes in the language of the app (the client's Accept-Language).
const STALE = 5 * 60_000;

/** The record types the member may read, with their screens' metadata. */
export function useResources(enabled = true) {
  const me = useMe();
  return useQuery({
    queryKey: ["ui", "resources"],
    queryFn: () => unwrap(api.GET("/api/v1/ui/resources")),
    enabled: enabled && Boolean(me.data?.tenant),
    staleTime: STALE,
  });
}

/** The enabled modules' menu entries the member may see. */
export function useMenus() {
  const me = useMe();
  return useQuery({
    queryKey: ["ui", "menus"],
    queryFn: () => unwrap(api.GET("/api/v1/ui/menus")),
    enabled: Boolean(me.data?.tenant),
    staleTime: STALE,
  });
}

export function useDashboards() {
  const me = useMe();
  return useQuery({
    queryKey: ["ui", "dashboards"],
    queryFn: () => unwrap(api.GET("/api/v1/ui/dashboards")),
    enabled: Boolean(me.data?.tenant),
    staleTime: STALE,
  });
}

/** Where a resource's screens live in the app: its endpoint without /api/v1. */
export function resourcePath(resource: ResourceMeta): string {
  return resource.endpoint.replace(/^\/api\/v1/, "");
}

/** The resource a reference field points at in a record (or a form's values): the field's own,
 * or, for a reference whose record type varies, the one its ``reference_from`` field names. */
export function referenceOf(field: FieldMeta, values: Record<string, unknown>): string | undefined {
  if (field.reference) return field.reference;
  const kind = field.reference_from ? values[field.reference_from] : undefined;
  return typeof kind === "string" ? field.reference_resources[kind] : undefined;
}

export function fieldOf(resource: ResourceMeta, name: string): FieldMeta | undefined {
  return resource.fields.find((field) => field.name === name);
}

export function resourceNamed(
  resources: readonly ResourceMeta[] | undefined,
  name: string | null | undefined,
): ResourceMeta | undefined {
  return name ? resources?.find((resource) => resource.name === name) : undefined;
}

/** The query parameter of a filter: the field's name unless the resource maps it. */
export function filterParam(resource: ResourceMeta, field: string): string {
  return resource.filter_params[field] ?? field;
}

export type View = "list" | "new" | "board" | "calendar" | "detail" | "edit";

export type Screen =
  | { kind: "resource"; resource: ResourceMeta; base: string; view: View; id?: string; title?: string }
  | { kind: "dashboard"; dashboard: DashboardMeta; base: string }
  | { kind: "none" };

/**
 * The screen an app path shows. Menu entries name their resource or dashboard; every
 * resource is also reachable at its endpoint's path. The rest of the path picks the view:
 * "" list, /new, /board, /calendar, /:id, /:id/edit.
 */
export function resolveScreen(
  pathname: string,
  menus: readonly MenuMeta[],
  resources: readonly ResourceMeta[],
  dashboards: readonly DashboardMeta[],
): Screen {
  const path = pathname.replace(/\/+$/, "") || "/";
  const bases: { base: string; resource?: ResourceMeta; dashboard?: DashboardMeta; title?: string }[] = [];
  for (const menu of menus) {
    const dashboard = dashboards.find((d) => d.name === menu.dashboard);
    const resource = menu.resource
      ? resourceNamed(resources, menu.resource)
      : menu.dashboard
        ? undefined
        : menuResource(menu.path, resources);
    if (dashboard) bases.push({ base: menu.path, dashboard });
    else if (resource) bases.push({ base: menu.path, resource, title: menu.label });
  }
  for (const resource of resources) bases.push({ base: resourcePath(resource), resource });
  // The longest base that prefixes the path wins (/crm/deals before /crm).
  bases.sort((a, b) => b.base.length - a.base.length);
  for (const { base, resource, dashboard, title } of bases) {
    if (path !== base && !path.startsWith(`${base}/`)) continue;
    const rest = path.slice(base.length).split("/").filter(Boolean);
    if (dashboard) {
      if (rest.length === 0) return { kind: "dashboard", dashboard, base };
      continue;
    }
    if (!resource) continue;
    const view = viewOf(rest, resource);
    if (view) return { kind: "resource", resource, base, title, ...view };
  }
  return { kind: "none" };
}

function viewOf(rest: string[], resource: ResourceMeta): { view: View; id?: string } | null {
  const [first, second, ...more] = rest;
  if (more.length > 0) return null;
  if (first === undefined) return { view: "list" };
  if (second === undefined) {
    if (first === "new") return resource.can_write ? { view: "new" } : null;
    if (first === "board") return resource.kanban_by ? { view: "board" } : null;
    if (first === "calendar") return resource.calendar_by ? { view: "calendar" } : null;
    return { view: "detail", id: first };
  }
  if (second === "edit" && resource.can_edit) return { view: "edit", id: first };
  return null;
}

/** The resource a menu path opens when the entry names none: the one at /api/v1 + path, or
 * the only one of the module below it (/notes opens /api/v1/notes/notes). */
function menuResource(path: string, resources: readonly ResourceMeta[]): ResourceMeta | undefined {
  const endpoint = `/api/v1${path}`;
  const exact = resources.find((r) => r.endpoint === endpoint);
  if (exact) return exact;
  const below = resources.filter((r) => r.endpoint.startsWith(`${endpoint}/`));
  return below.length === 1 ? below[0] : undefined;
}

/** Where the app shows a resource's screens: its menu entry's path, else its endpoint's. */
export function basePathOf(resource: ResourceMeta, menus: readonly MenuMeta[] | undefined): string {
  const menu = menus?.find(
    (m) => m.resource === resource.name || (!m.resource && !m.dashboard && `/api/v1${m.path}` === resource.endpoint),
  );
  return menu?.path ?? resourcePath(resource);
}
