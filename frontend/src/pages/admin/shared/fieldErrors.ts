import type { FormInstance } from "antd";

import { ApiError } from "../../../api/client";

/** "steps[0].users[1]" (the API's field path) -> ["steps", 0, "users", 1] (an antd name path). */
export function fieldPath(field: string): (string | number)[] {
  const path: (string | number)[] = [];
  for (const part of field.split(".")) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) {
      path.push(part);
      continue;
    }
    if (match[1]) path.push(match[1]);
    for (const index of (match[2] ?? "").matchAll(/\[(\d+)\]/g)) path.push(Number(index[1]));
  }
  return path;
}

/**
 * Show an API error's field errors at their fields of ``form``; true if it had any the form
 * knows. ``known`` says which fields the form shows: errors about others are left for a
 * message, so that none goes unseen.
 */
export function showFieldErrors(
  form: FormInstance,
  error: unknown,
  known: (path: (string | number)[]) => boolean = () => true,
): boolean {
  if (!(error instanceof ApiError)) return false;
  const fields = Object.entries(error.fieldErrors())
    .map(([field, message]) => ({ name: fieldPath(field), errors: [message] }))
    .filter((field) => field.name.length > 0 && known(field.name));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}

/** The message to show for a failed action: the server's own words when it gave some. */
export function errorText(error: unknown, fallback: string): string {
  if (error instanceof ApiError && error.status < 500) return error.problem.detail ?? fallback;
  return fallback;
}
