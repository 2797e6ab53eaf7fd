import type { Me } from "../../../app/session";

export const BUILTIN_ROLES = ["owner", "admin", "member"] as const;
export type BuiltinRole = (typeof BUILTIN_ROLES)[number];

/**
 * The built-in roles the signed-in member may hand out: only an owner makes owners (the
 * server refuses the others; offering them would only lead to an error).
 */
export function assignableRoles(me: Me | null | undefined): BuiltinRole[] {
  return me?.tenant?.role === "owner" ? [...BUILTIN_ROLES] : ["admin", "member"];
}
