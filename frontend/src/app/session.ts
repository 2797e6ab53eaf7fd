import { useQuery, useQueryClient } from "@tanstack/react-query";

import { ApiError, api, unwrap } from "../api/client";
import type { components } from "../api/schema";

export type Me = components["schemas"]["MeOut"];

export const ME_KEY = ["me"] as const;

/** The signed-in user, their tenant, permissions and modules; null when signed out. */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await unwrap(api.GET("/api/v1/me"));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Whether the signed-in member holds ``permission`` in the current tenant. */
export function can(me: Me | null | undefined, permission: string): boolean {
  return Boolean(me?.permissions && permission in me.permissions);
}

/** After sign-in, sign-out or a tenant switch: everything cached belonged to the old session. */
export function useSessionChanged() {
  const client = useQueryClient();
  return async () => {
    client.clear();
    await client.invalidateQueries({ queryKey: ME_KEY });
  };
}

/** After signing out: nothing cached survives, and the session is known to be gone, so the
 * log-in page does not ask the server (and log a 401) to learn it. A read still in flight
 * (started while signed in) is cancelled first, or its answer would sign the page back in. */
export function useSignedOut() {
  const client = useQueryClient();
  return async () => {
    await client.cancelQueries();
    client.clear();
    client.setQueryData(ME_KEY, null);
  };
}
