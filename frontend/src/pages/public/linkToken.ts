import { ApiError } from "../../api/client";

/**
 * Whether a failed request says the emailed link itself is no good (expired, used, forged,
 * withdrawn), rather than something the user typed: the page then offers a new link.
 */
export function isBadLink(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.status === 410) return true;
  return "token" in error.fieldErrors();
}
