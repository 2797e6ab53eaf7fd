import { DeleteOutlined, EditOutlined } from "@ant-design/icons";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { App, Button, Descriptions, Skeleton, Tabs, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";

import { ApiError, request } from "../api/client";
import { can, useMe } from "../app/session";
import { ErrorNotice } from "../components/ErrorNotice";
import { PageLoading } from "../components/PageLoading";
import { PageHeader, Screen } from "./common";
import { RecordActions } from "./detail/Actions";
import { Approvals } from "./detail/Approvals";
import { RecordDocuments } from "./detail/Documents";
import { AuditHistory } from "./detail/AuditHistory";
import { RecordFacts } from "./detail/Facts";
import { RelatedList, relationsOf } from "./detail/RelatedLists";
import { RecordTimeline } from "./detail/Timeline";
import { defsOf } from "./designed";
import { FieldListTable } from "./FieldListInput";
import { FieldValue } from "./format";
import { LinesTable } from "./LinesInput";
import { useResources } from "./metadata";
import { invalidateLists, recordUrl, titleOf, useRecord } from "./records";
import type { FieldMeta, RecordData, ResourceMeta } from "./types";
import { ValuesDetail } from "./ValuesInput";

/** Fields holding lists or designed values: each gets a section of its own below the others. */
function isDesigned(field: FieldMeta): boolean {
  return field.type === "field_list" || field.type === "values" || field.type === "lines";
}

interface Props {
  resource: ResourceMeta;
  base: string;
  id: string;
  title?: string;
}

/** The generic record page: its fields, related lists, timeline, history and approvals. */
export default function DetailView({ resource, base, id, title }: Props) {
  const record = useRecord(resource, id);
  if (record.isPending) return <PageLoading />;
  if (record.isError) {
    return (
      <Screen>
        <ErrorNotice error={record.error} retry={() => void record.refetch()} />
      </Screen>
    );
  }
  return <RecordDetail resource={resource} base={base} record={record.data} listTitle={title} />;
}

export function RecordDetail(props: { resource: ResourceMeta; base: string; record: RecordData; listTitle?: string }) {
  const { resource, base, record } = props;
  const { t } = useTranslation("modules");
  const resources = useResources();
  const me = useMe();
  const relations = relationsOf(resource, resources.data ?? []);
  const tabs = [
    ...relations.map((relation) => ({
      key: `related-${relation.resource.name}-${relation.field}`,
      label: relation.resource.label,
      children: <RelatedList relation={relation} id={record.id} />,
    })),
  ];
  if (resource.timeline_endpoint) {
    tabs.push({ key: "timeline", label: t("detail.timeline"), children: <RecordTimeline endpoint={resource.timeline_endpoint} id={record.id} /> });
  }
  if (resource.approvable) {
    tabs.push({ key: "approvals", label: t("detail.approvals"), children: <Approvals resource={resource} id={record.id} /> });
  }
  if (resource.audit_type && can(me.data, "audit.entry.read")) {
    tabs.push({
      key: "history",
      label: t("detail.history"),
      children: <AuditHistory resource={resource} type={resource.audit_type} id={record.id} />,
    });
  }
  return (
    <Screen>
      <Typography.Paragraph style={{ marginBottom: 4 }}>
        <Link to={base}>← {t("detail.backTo", { resource: props.listTitle ?? resource.label })}</Link>
      </Typography.Paragraph>
      <PageHeader
        title={titleOf(resource, record)}
        extra={
          <>
            <RecordDocuments resource={resource} record={record} />
            <RecordActions resource={resource} record={record} />
            {resource.can_edit ? (
              <Link to={`${base}/${encodeURIComponent(record.id)}/edit`}>
                <Button icon={<EditOutlined />}>{t("detail.edit")}</Button>
              </Link>
            ) : null}
            {resource.can_delete ? <DeleteButton resource={resource} base={base} record={record} /> : null}
          </>
        }
      />
      {resource.facts_endpoint ? <RecordFacts endpoint={resource.facts_endpoint} id={record.id} /> : null}
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 3, xxl: 3 }}
        items={resource.fields.filter((field) => !isDesigned(field)).map((field) => ({
          key: field.name,
          label: field.label,
          children: <FieldValue field={field} record={record} />,
        }))}
        style={{ marginBottom: 24 }}
      />
      {resource.fields.filter(isDesigned).map((field) =>
        field.type === "values" ? (
          <ValuesDetail key={field.name} resource={resource} field={field} record={record} />
        ) : field.type === "lines" ? (
          <LinesTable key={field.name} field={field} record={record} />
        ) : (
          <FieldListTable key={field.name} field={field} rows={defsOf(record, field.name)} />
        ),
      )}
      {/* Once the metadata is in: the first tab (a related list) must not appear after another
          was already chosen. */}
      {resources.isPending ? <Skeleton active /> : tabs.length > 0 ? <Tabs items={tabs} /> : null}
    </Screen>
  );
}

function DeleteButton({ resource, base, record }: { resource: ResourceMeta; base: string; record: RecordData }) {
  const { t } = useTranslation("modules");
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () => request("DELETE", recordUrl(resource, record.id)),
    onSuccess: () => {
      void invalidateLists(client, resource.name);
      void message.success(t("detail.deleted", { title: titleOf(resource, record) }));
      navigate(base);
    },
    onError: (error) => void message.error(error instanceof ApiError ? error.message : t("detail.deleteFailed")),
  });
  return (
    <Button
      danger
      icon={<DeleteOutlined />}
      loading={remove.isPending}
      onClick={() =>
        modal.confirm({
          title: t("detail.confirmDelete", { title: titleOf(resource, record) }),
          content: t("bulk.confirmText"),
          okText: t("detail.delete"),
          okButtonProps: { danger: true },
          cancelText: t("bulk.keep"),
          onOk: () => remove.mutateAsync(),
        })
      }
    >
      {t("detail.delete")}
    </Button>
  );
}
