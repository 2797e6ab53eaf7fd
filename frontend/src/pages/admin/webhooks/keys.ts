import type { components } from "../../../api/schema";

export type EndpointOut = components["schemas"]["EndpointOut"];
export const WEBHOOKS_KEY = ["admin", "webhooks"] as const;

/**
 * Event type patterns to offer: every event, the platform's own, and each enabled module's
 * (the API has no list of event types; exact names can still be typed).
 */
export function eventTypeSuggestions(modules: string[]): string[] {
  return ["*", "tessera.*", ...modules.map((module) => `${module}.*`)];
}
