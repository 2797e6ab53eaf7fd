import type { FormInstance } from "antd";
import { useState } from "react";

import { showFieldErrors } from "./formErrors";

/**
 * A public form's submit: busy while ``send`` runs; a failure goes to ``onFailure`` first
 * (true when it dealt with it), then to the fields it names, and what names none of
 * ``fields`` becomes the ``problem`` shown above the form (FormProblem).
 */
export function useFormSubmit<Values>({
  form,
  fields,
  send,
  onFailure,
}: {
  form: FormInstance<Values>;
  fields: readonly string[];
  send: (values: Values) => Promise<void>;
  onFailure?: (error: unknown) => boolean;
}) {
  const [problem, setProblem] = useState<unknown>(null);
  const [submitting, setSubmitting] = useState(false);

  async function submit(values: Values) {
    setProblem(null);
    setSubmitting(true);
    try {
      await send(values);
    } catch (error) {
      if (!onFailure?.(error) && !showFieldErrors(form, error, fields)) setProblem(error);
    } finally {
      setSubmitting(false);
    }
  }

  return { submit, submitting, problem, clearProblem: () => setProblem(null) };
}
