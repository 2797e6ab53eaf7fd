import { useQuery } from "@tanstack/react-query";

import { api, unwrap } from "../../api/client";
import type { components } from "../../api/schema";
import { slugProblem, type SlugProblem } from "./slug";
import { useDebounced } from "../../shell/useDebounced";

export type SlugAvailability = components["schemas"]["SlugAvailabilityOut"];

/** How long typing must pause before the server is asked. */
export const SLUG_CHECK_DELAY_MS = 400;

export type SlugStatus =
  | { state: "empty" }
  /** Breaks the format: said at once, without asking the server. */
  | { state: "invalid"; problem: SlugProblem }
  /** Waiting for typing to pause, or for the server's answer. */
  | { state: "checking" }
  | { state: "available" }
  | { state: "reserved" }
  | { state: "taken" }
  /** The server's format rules refused it (they and ours should agree; theirs win). */
  | { state: "refused"; detail: string | null }
  /** The check itself failed (offline, server error): sign-up will still say. */
  | { state: "unknown" };

/** Whether ``slug`` can be signed up with, checked with the server once typing pauses. */
export function useSlugAvailability(slug: string): SlugStatus {
  const settled = useDebounced(slug, SLUG_CHECK_DELAY_MS);
  const problem = slug ? slugProblem(slug) : null;
  const ask = Boolean(settled) && settled === slug && problem === null;
  const answer = useQuery({
    queryKey: ["signup", "slug-availability", settled],
    queryFn: ({ signal }) =>
      unwrap(api.GET("/api/v1/signup/slug-availability", { params: { query: { slug: settled } }, signal })),
    enabled: ask,
    // Someone may take the slug at any moment: a minute-old answer is good enough while
    // typing back and forth, and sign-up itself refuses a taken slug.
    staleTime: 60_000,
    retry: false,
  });
  if (!slug) return { state: "empty" };
  if (problem) return { state: "invalid", problem };
  if (!ask || answer.isPending) return { state: "checking" };
  if (answer.isError) return { state: "unknown" };
  const found = answer.data;
  if (found.available) return { state: "available" };
  if (found.reason === "taken") return { state: "taken" };
  if (found.reason === "reserved") return { state: "reserved" };
  return { state: "refused", detail: found.detail };
}
