import { Tabs } from "antd";
import { useTranslation } from "react-i18next";

import { can, useMe } from "../../../app/session";
import { AdminPage } from "../shared/AdminPage";
import { InvitationsPanel } from "./InvitationsPanel";
import { MembersTable } from "./MembersTable";

export default function MembersPage() {
  const { t } = useTranslation("admin");
  const me = useMe();
  const items = [{ key: "members", label: t("members.tab"), children: <MembersTable /> }];
  // Listing invitations needs the invite permission: without it the tab would only show a 403.
  if (can(me.data, "identity.member.invite")) {
    items.push({ key: "invitations", label: t("invitations.tab"), children: <InvitationsPanel /> });
  }
  return (
    <AdminPage title={t("members.title")} description={t("members.description")}>
      <Tabs items={items} />
    </AdminPage>
  );
}
