import type { FormInstance } from "antd";

import { ApiError } from "../../api/client";

/**
 * Puts the problem's field errors at their fields (only those the form has); returns whether
 * any were placed, so the caller shows the rest above the form instead.
 */
export function showFieldErrors(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const found = Object.entries(error.fieldErrors()).filter(([field]) => fields.includes(field));
  if (found.length === 0) return false;
  form.setFields(found.map(([name, message]) => ({ name, errors: [message] })));
  return true;
}
