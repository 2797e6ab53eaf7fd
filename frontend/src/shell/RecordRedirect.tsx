import { Button, Result } from "antd";
import { useTranslation } from "react-i18next";
import { Link, Navigate, useParams } from "react-router-dom";

import { ErrorNotice } from "../components/ErrorNotice";
import { PageLoading } from "../components/PageLoading";
import { useMenus, useResources } from "../modules/metadata";
import { menuPathOf } from "./search";

/**
 * ``/records/<record type>/<id>``: where the server links a record whose screen it does not
 * know (a requester's "your request was approved"); opens the record's page under its menu.
 */
export default function RecordRedirect() {
  const { t } = useTranslation("shell");
  const { recordType = "", recordId = "" } = useParams();
  const resources = useResources();
  const menus = useMenus();
  if (resources.isPending || menus.isPending) return <PageLoading />;
  if (resources.isError) return <ErrorNotice error={resources.error} retry={() => void resources.refetch()} />;
  const resource = resources.data.find((one) => one.name === recordType);
  const path = resource ? menuPathOf(resource, menus.data ?? []) : undefined;
  if (path) return <Navigate replace to={`${path}/${encodeURIComponent(recordId)}`} />;
  return (
    <Result
      status="404"
      title={t("record.unknown")}
      extra={
        <Link to="/">
          <Button>{t("approvals.toStart")}</Button>
        </Link>
      }
    />
  );
}
