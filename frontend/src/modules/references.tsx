import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Select, Spin } from "antd";
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

import { useMembers, type MemberOut } from "../app/members";
import { useRoles } from "../app/roles";
import { useDebounced } from "./common";
import { basePathOf, resourceNamed, useMenus, useResources } from "./metadata";
import { fetchPage, titleOf, useAllRecords, useRecord, type Query } from "./records";
import { ROLE_REFERENCE, USER_REFERENCE, type RecordData, type ResourceMeta } from "./types";

function memberName(member: MemberOut): string {
  return member.name || member.email;
}

/** A user's name (what a reference to identity.user points at), from the members list. */
export function UserName({ id }: { id: string }) {
  const members = useMembers();
  const member = members.data?.find((m) => m.user_id === id);
  if (members.isLoading) return <Spin size="small" />;
  return <>{member ? memberName(member) : id}</>;
}

/** A custom role's name (what a reference to access.role points at), from the roles list. */
export function RoleName({ id }: { id: string }) {
  const roles = useRoles();
  const role = roles.data?.custom.find((r) => r.id === id);
  if (roles.isLoading) return <Spin size="small" />;
  return <>{role ? role.name : id}</>;
}

/** The title of a record a reference points at, linked to its detail page. */
export function RecordLink({ reference, id }: { reference: string; id: string }) {
  const resources = useResources();
  const target = resourceNamed(resources.data, reference);
  if (reference === USER_REFERENCE) return <UserName id={id} />;
  if (reference === ROLE_REFERENCE) return <RoleName id={id} />;
  if (!target) return <>{id}</>;
  return <ResourceRecordLink resource={target} id={id} />;
}

function ResourceRecordLink({ resource, id }: { resource: ResourceMeta; id: string }) {
  const menus = useMenus();
  const title = useRecordTitle(resource, id);
  return <Link to={`${basePathOf(resource, menus.data)}/${encodeURIComponent(id)}`}>{title ?? "…"}</Link>;
}

/** A record's title: from the whole list for a short one (one request for all), else by id. */
export function useRecordTitle(resource: ResourceMeta, id: string): string | undefined {
  const whole = !resource.search;
  const all = useAllRecords(whole ? resource : undefined);
  const one = useRecord(whole ? undefined : resource, id);
  const record = whole ? all.data?.find((r) => r.id === id) : one.data;
  if (whole && all.isPending) return undefined;
  if (!whole && one.isPending) return undefined;
  return record ? titleOf(resource, record) : id;
}

interface PickerProps {
  reference: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Filters of the referenced list, e.g. the stages of the chosen pipeline. */
  scope?: Query;
  id?: string;
  disabled?: boolean;
  placeholder?: string;
  "aria-label"?: string;
  style?: React.CSSProperties;
}

/** A searchable choice of a record (or a member) for a reference field or filter. */
export function RecordPicker(props: PickerProps) {
  const resources = useResources();
  if (props.reference === USER_REFERENCE) return <MemberPicker {...props} />;
  if (props.reference === ROLE_REFERENCE) return <RolePicker {...props} />;
  const target = resourceNamed(resources.data, props.reference);
  if (!target) return <Select {...selectProps(props)} options={[]} loading={resources.isPending} />;
  return target.search ? <SearchPicker {...props} resource={target} /> : <ListPicker {...props} resource={target} />;
}

function selectProps(props: PickerProps) {
  return {
    id: props.id,
    value: props.value ?? undefined,
    onChange: (value: string | undefined) => props.onChange?.(value ?? null),
    disabled: props.disabled,
    placeholder: props.placeholder,
    "aria-label": props["aria-label"],
    allowClear: true,
    showSearch: true,
    style: { minWidth: 180, ...props.style },
  };
}

function MemberPicker(props: PickerProps) {
  const members = useMembers();
  const options = (members.data ?? []).map((m) => ({ value: m.user_id, label: memberName(m) }));
  return <Select {...selectProps(props)} options={options} loading={members.isLoading} optionFilterProp="label" />;
}

function RolePicker(props: PickerProps) {
  const roles = useRoles();
  const options = (roles.data?.custom ?? []).map((r) => ({ value: r.id, label: r.name }));
  return <Select {...selectProps(props)} options={options} loading={roles.isLoading} optionFilterProp="label" />;
}

/** A short list: loaded whole, searched in the browser. */
function ListPicker(props: PickerProps & { resource: ResourceMeta }) {
  const all = useAllRecords(props.resource, props.scope ?? {});
  const options = (all.data ?? []).map((r) => ({ value: r.id, label: titleOf(props.resource, r) }));
  return <Select {...selectProps(props)} options={options} loading={all.isPending} optionFilterProp="label" />;
}

/** A long list: searched by the API (q), the chosen record shown by its title. */
function SearchPicker(props: PickerProps & { resource: ResourceMeta }) {
  const { t } = useTranslation("modules");
  const client = useQueryClient();
  const [typed, setText] = useState("");
  const text = useDebounced(typed);
  const found = useQuery({
    queryKey: ["picker", props.resource.name, text, props.scope ?? {}],
    queryFn: () =>
      fetchPage(client, props.resource, { ...props.scope, q: text.trim() || undefined, limit: 20 }),
    staleTime: 30_000,
  });
  const chosen = useRecord(props.value ? props.resource : undefined, props.value ?? undefined);
  const options = useMemo(() => {
    const items: RecordData[] = [...(found.data?.items ?? [])];
    if (chosen.data && !items.some((r) => r.id === chosen.data.id)) items.unshift(chosen.data);
    return items.map((r) => ({ value: r.id, label: titleOf(props.resource, r) }));
  }, [found.data, chosen.data, props.resource]);
  return (
    <Select
      {...selectProps(props)}
      filterOption={false}
      onSearch={setText}
      options={options}
      loading={found.isFetching}
      notFoundContent={found.isFetching ? <Spin size="small" /> : t("picker.none")}
    />
  );
}
