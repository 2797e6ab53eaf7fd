import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../api/client";
import { ROLES_KEY } from "../pages/admin/roles/keys";
import { can, useMe } from "./session";

/**
 * The tenant's roles, built-in and custom, with their grants: for the admin screens and for
 * every picker of a custom role. Read only by those who may see roles; whatever changes a role
 * invalidates ROLES_KEY.
 */
export function useRoles() {
  const me = useMe();
  return useQuery({
    queryKey: ROLES_KEY,
    queryFn: () => unwrap(api.GET("/api/v1/roles")),
    enabled: can(me.data, "access.role.read"),
  });
}
