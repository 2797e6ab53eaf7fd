import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";

/** A failed load, said so that the reader knows what to do about it. */
export function ErrorNotice({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  let message = t("error.generic");
  if (error instanceof ApiError) {
    if (error.status === 403) message = t("error.forbidden");
    else if (error.status === 404) message = t("error.notFound");
    else if (error.status >= 500) message = t("error.server");
    else message = error.message;
  } else if (error instanceof TypeError) {
    message = t("error.network");
  }
  return (
    <Alert
      type="error"
      showIcon
      title={message}
      action={
        retry ? (
          <Button size="small" onClick={retry}>
            {t("action.retry")}
          </Button>
        ) : undefined
      }
    />
  );
}
