import i18n from "../../../i18n";
import { ApiError, csrfToken } from "../../../api/client";
import type { components } from "../../../api/schema";

type CompanyOut = components["schemas"]["CompanyOut"];

/** The profile's texts as the form edits them. */
export type CompanyTexts = Pick<CompanyOut, "legal_name" | "address" | "tax_id" | "phone" | "email">;

export const LOGO_URL = "/api/v1/company/logo";
/** What the server takes for a logo (it checks again): PNG or JPEG, at most 1 MiB. */
export const LOGO_TYPES = ["image/png", "image/jpeg"];
export const MAX_LOGO_BYTES = 1024 * 1024;
const TEXTS = ["legal_name", "address", "tax_id", "phone", "email"] as const;

/** Only what changed, trimmed (an emptied text is sent as "" and clears it): PATCH semantics. */
export function changedTexts(before: CompanyTexts, values: Partial<CompanyTexts>): Partial<CompanyTexts> {
  const body: Partial<CompanyTexts> = {};
  for (const name of TEXTS) {
    const value = (values[name] ?? "").trim();
    if (value !== before[name]) body[name] = value;
  }
  return body;
}

/** PUTs the logo as the multipart part ``file``; the profile after, or the problem as an ApiError. */
export async function sendLogo(file: File): Promise<CompanyOut> {
  const body = new FormData();
  body.append("file", file, file.name);
  const headers: Record<string, string> = { Accept: "application/json", "Accept-Language": i18n.language };
  const token = csrfToken();
  if (token) headers["X-CSRF-Token"] = token;
  const response = await fetch(LOGO_URL, { method: "PUT", body, headers, credentials: "same-origin" });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    throw new ApiError({ status: response.status, ...(typeof parsed === "object" && parsed !== null ? parsed : {}) });
  }
  return parsed as CompanyOut;
}
