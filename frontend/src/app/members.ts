import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../api/client";
import type { components } from "../api/schema";
import { can, useMe } from "./session";

export type MemberOut = components["schemas"]["MemberOut"];

/**
 * The key every query of the tenant's members starts with: whatever adds, changes or removes
 * a member invalidates it, and every list of members (pickers, names, the admin's table)
 * reads again.
 */
export const MEMBERS_KEY = ["members"] as const;

// A directory beyond this many members needs a search endpoint, not a list held in memory.
const MAX_PAGES = 25;

/**
 * Every member of the tenant (pages of 200 read one after another), for naming people by
 * their user id and for picking them; read only by those who may see the members. It goes
 * stale after the app's usual 30 seconds, so a member who joined meanwhile shows up the next
 * time a picker opens.
 */
export function useMembers() {
  const me = useMe();
  return useQuery({
    queryKey: [...MEMBERS_KEY, "all"],
    queryFn: async (): Promise<MemberOut[]> => {
      const found: MemberOut[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_PAGES; page++) {
        const data = await unwrap(
          api.GET("/api/v1/members", { params: { query: { limit: 200, cursor } } }),
        );
        found.push(...data.items);
        if (!data.next_cursor) break;
        cursor = data.next_cursor;
      }
      return found;
    },
    enabled: can(me.data, "identity.member.read"),
  });
}

/** "Ada Lovelace (ada@example.com)", or the address alone when the name is empty. */
export function memberLabel(member: Pick<MemberOut, "name" | "email">): string {
  return member.name ? `${member.name} (${member.email})` : member.email;
}

/** Name a user id: the member's name if known here, else a short form of the id. */
export function nameOfUser(members: MemberOut[] | undefined, userId: string | null | undefined) {
  if (!userId) return undefined;
  const member = members?.find((m) => m.user_id === userId);
  return member ? member.name || member.email : `${userId.slice(0, 8)}…`;
}
