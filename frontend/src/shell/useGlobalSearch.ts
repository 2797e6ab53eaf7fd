import { useQueries } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { request } from "../api/client";
import { useDebounced } from "./useDebounced";
import { useMenus, useResources } from "../modules/metadata";
import {
  RESULTS_PER_RESOURCE,
  recordSubtitle,
  recordTitle,
  SEARCH_MIN_LENGTH,
  searchTargets,
  type SearchRecord,
  type SearchTarget,
} from "./search";

export const SEARCH_DELAY_MS = 300;

export interface SearchHit {
  key: string;
  to: string;
  title: string;
  subtitle?: string;
}

export interface SearchGroup {
  target: SearchTarget;
  label: string;
  hits: SearchHit[];
  failed: boolean;
}

/**
 * One box over every record type: each resource whose list takes ``q`` is asked for a few
 * matches at once, and the answers are grouped by resource. Nothing is loaded until the box
 * is used (``active``).
 */
export function useGlobalSearch(text: string, active: boolean) {
  const { i18n } = useTranslation("shell");
  const term = useDebounced(text.trim(), SEARCH_DELAY_MS);
  const resources = useResources(active);
  const menus = useMenus();
  const targets = searchTargets(resources.data ?? [], menus.data ?? []);
  const ready = term.length >= SEARCH_MIN_LENGTH;
  const answers = useQueries({
    queries: targets.map((target) => ({
      queryKey: ["search", target.resource.endpoint, term],
      queryFn: () =>
        request<{ items: SearchRecord[] }>("GET", target.resource.endpoint, {
          query: { q: term, limit: RESULTS_PER_RESOURCE },
        }),
      enabled: active && ready,
      staleTime: 30_000,
      retry: false,
    })),
  });
  const groups: SearchGroup[] = targets.map((target, index) => {
    const answer = answers[index];
    return {
      target,
      label: target.label,
      failed: Boolean(answer?.isError),
      hits: (answer?.data?.items ?? []).map((record) => ({
        key: `${target.path}/${record.id}`,
        to: `${target.path}/${encodeURIComponent(record.id)}`,
        title: recordTitle(target.resource, record),
        subtitle: recordSubtitle(target.resource, record, i18n.language),
      })),
    };
  });
  const loading =
    active &&
    (text.trim() !== term ||
      resources.isPending ||
      (ready && answers.some((answer) => answer.isPending)));
  return { term, ready, loading, groups, failed: resources.isError };
}
