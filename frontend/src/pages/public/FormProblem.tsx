import { Alert } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError } from "../../api/client";

/**
 * A failed submit that no field explains: too many attempts, the server or the network down,
 * or anything else the server said. Announced to screen readers (role="alert").
 */
export function FormProblem({ error, messages = {} }: { error: unknown; messages?: Record<number, string> }) {
  const { t } = useTranslation(["public", "common"]);
  if (!error) return null;
  let text: string;
  if (error instanceof ApiError) {
    text =
      messages[error.status] ??
      (error.status === 429
        ? t("public:errors.tooMany")
        : error.status >= 500
          ? t("common:error.server")
          : error.message);
  } else if (error instanceof TypeError) {
    text = t("common:error.network");
  } else {
    text = t("common:error.generic");
  }
  return <Alert type="error" showIcon title={text} style={{ marginBottom: 16 }} />;
}
