import { Form, Input } from "antd";
import type { FormItemProps } from "antd";
import { useTranslation } from "react-i18next";

import { normalizeSlugInput, SLUG_MAX } from "./slug";
import type { SlugStatus } from "./useSlugAvailability";

/** What the field says about the slug: at once for its format, then the server's verdict. */
export function slugFeedback(
  status: SlugStatus,
  slug: string,
  t: (key: string, options?: Record<string, unknown>) => string,
): Pick<FormItemProps, "validateStatus" | "help"> {
  switch (status.state) {
    case "empty":
      return { help: t("slug.help") };
    case "invalid":
      return { validateStatus: "error", help: t(`slug.problem.${status.problem}`) };
    case "checking":
      return { validateStatus: "validating", help: t("slug.checking") };
    case "available":
      return { validateStatus: "success", help: t("slug.available", { slug }) };
    case "taken":
      return { validateStatus: "error", help: t("slug.taken", { slug }) };
    case "reserved":
      return { validateStatus: "error", help: t("slug.reserved", { slug }) };
    case "refused":
      return { validateStatus: "error", help: status.detail ?? t("slug.problem.characters") };
    case "unknown":
      return { validateStatus: "warning", help: t("slug.unknown") };
  }
}

/** Whether sign-up should be tried with this slug: not when the form already knows it fails. */
export function slugBlocksSubmit(status: SlugStatus): boolean {
  return ["empty", "invalid", "taken", "reserved", "refused"].includes(status.state);
}

/**
 * The slug input: typed text is normalised as it comes (lowercase, hyphens), and the field's
 * help says whether the slug can be had. ``serverError`` is sign-up's own refusal, which wins
 * until the slug changes.
 */
export function SlugField({
  status,
  slug,
  serverError,
  onEdit,
}: {
  status: SlugStatus;
  slug: string;
  serverError: string | null;
  /** The user typed in the field (from then on the company name no longer suggests one). */
  onEdit: (typed: string) => void;
}) {
  const { t } = useTranslation("public");
  const feedback = serverError
    ? { validateStatus: "error" as const, help: serverError }
    : slugFeedback(status, slug, t);
  return (
    <Form.Item
      className="slug-item"
      label={t("signup.slug")}
      name="slug"
      hasFeedback
      validateStatus={feedback.validateStatus}
      help={<span aria-live="polite">{feedback.help}</span>}
      normalize={(typed: string | undefined) => normalizeSlugInput(typed ?? "")}
    >
      <Input
        autoComplete="off"
        spellCheck={false}
        maxLength={SLUG_MAX}
        onChange={(event) => onEdit(event.target.value)}
        // A suffix from the start: antd would otherwise wrap the input anew when the status
        // icon first appears, and the field would lose focus in the middle of typing.
        suffix={<span />}
      />
    </Form.Item>
  );
}
