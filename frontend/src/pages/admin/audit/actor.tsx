import { Typography } from "antd";
import { useTranslation } from "react-i18next";

import type { components } from "../../../api/schema";
import { nameOfUser, useMembers } from "../../../app/members";

type AuditEntryOut = components["schemas"]["AuditEntryOut"];

/** Who did it: a member by name, or the platform itself, or an API token. */
export function Actor({ entry }: { entry: AuditEntryOut }) {
  const { t } = useTranslation("admin");
  const members = useMembers();
  const name = nameOfUser(members.data, entry.actor_user_id);
  return (
    <span>
      {name ?? (
        <Typography.Text type="secondary">
          {t(`audit.kind.${entry.actor_kind}`, entry.actor_kind)}
        </Typography.Text>
      )}
      {entry.actor_token_id && (
        <Typography.Text type="secondary"> {t("audit.viaToken")}</Typography.Text>
      )}
    </span>
  );
}
