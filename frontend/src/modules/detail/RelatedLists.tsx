import { PlusOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Button, Empty, Flex } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { ErrorNotice } from "../../components/ErrorNotice";
import { RecordTable } from "../ListView";
import { basePathOf, fieldOf, filterParam, useMenus } from "../metadata";
import { fetchPage } from "../records";
import type { ResourceMeta } from "../types";
import { filterKey } from "../listQuery";

/** A resource whose list filters by a reference to the record shown: an account's contacts. */
export interface Relation {
  resource: ResourceMeta;
  /** The reference field (and filter) that points at the record. */
  field: string;
}

export function relationsOf(resource: ResourceMeta, resources: readonly ResourceMeta[]): Relation[] {
  return resources.flatMap((other) =>
    other.filters
      .filter((name) => {
        const field = fieldOf(other, name);
        return field?.type === "reference" && field.reference === resource.name;
      })
      .map((field) => ({ resource: other, field })),
  );
}

const SHOWN = 10;

/** The first records related to ``id``, with links to all of them and to add one. */
export function RelatedList({ relation, id }: { relation: Relation; id: string }) {
  const { t } = useTranslation("modules");
  const client = useQueryClient();
  const menus = useMenus();
  const { resource, field } = relation;
  const base = basePathOf(resource, menus.data);
  const query = { [filterParam(resource, field)]: id, limit: SHOWN };
  const page = useQuery({
    queryKey: ["list", resource.name, query],
    queryFn: () => fetchPage(client, resource, query),
  });
  const narrowed = { ...resource, list_columns: resource.list_columns.filter((name) => name !== field) };
  if (page.isError) return <ErrorNotice error={page.error} retry={() => void page.refetch()} />;
  return (
    <section aria-label={resource.label}>
      <Flex justify="end" gap={8} wrap style={{ marginBottom: 8 }}>
        {page.data?.next_cursor ? (
          <Link to={`${base}?${filterKey(field)}=${encodeURIComponent(id)}`}>{t("detail.showAll")}</Link>
        ) : null}
        {resource.can_write ? (
          <Link to={`${base}/new?${field}=${encodeURIComponent(id)}`}>
            <Button size="small" icon={<PlusOutlined />}>
              {t("list.new", { resource: resource.label })}
            </Button>
          </Link>
        ) : null}
      </Flex>
      <RecordTable
        resource={narrowed}
        base={base}
        rows={page.data?.items ?? []}
        loading={page.isPending}
        onSort={() => undefined}
        selected={[]}
        empty={<Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("detail.noRelated", { resource: resource.label })} />}
      />
    </section>
  );
}
