import { DatePicker, Flex, Input, Select, Switch, Typography } from "antd";
import dayjs from "dayjs";
import { useState, useEffect } from "react";
import { useTranslation } from "react-i18next";

import { optionChoices } from "./format";
import { fieldOf } from "./metadata";
import { filterKey } from "./listQuery";
import { RecordPicker } from "./references";
import type { FieldMeta, ResourceMeta } from "./types";

interface Props {
  resource: ResourceMeta;
  params: URLSearchParams;
  /** Set (or, with null, clear) list state keys in the address. */
  onChange: (changes: Record<string, string | null>) => void;
}

/** The search box and a control per declared filter, by the field's type. */
export function ListFilters({ resource, params, onChange }: Props) {
  const { t } = useTranslation("modules");
  return (
    <Flex wrap gap={8} align="center" role="search" aria-label={t("list.filters")} style={{ marginBottom: 12 }}>
      {resource.search ? <SearchBox value={params.get("q") ?? ""} onSearch={(q) => onChange({ q: q || null })} /> : null}
      {resource.filters.map((name) => {
        const field = fieldOf(resource, name);
        return field ? <FilterControl key={name} field={field} params={params} onChange={onChange} /> : null;
      })}
    </Flex>
  );
}

function SearchBox(props: { value: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation("modules");
  const [text, setText] = useState(props.value);
  useEffect(() => setText(props.value), [props.value]);
  return (
    <Input.Search
      aria-label={t("list.search")}
      placeholder={t("list.search")}
      allowClear
      value={text}
      onChange={(event) => setText(event.target.value)}
      onSearch={(q) => props.onSearch(q.trim())}
      style={{ width: 240, maxWidth: "100%" }}
    />
  );
}

function FilterControl(props: { field: FieldMeta; params: URLSearchParams; onChange: Props["onChange"] }) {
  const { t } = useTranslation("modules");
  const { field, params, onChange } = props;
  const key = filterKey(field.name);
  const value = params.get(key);
  const label = t("list.filterBy", { field: field.label });
  switch (field.type) {
    case "enum":
      return (
        <Select
          aria-label={label}
          placeholder={field.label}
          allowClear
          value={value ?? undefined}
          onChange={(next?: string) => onChange({ [key]: next ?? null })}
          options={optionChoices(field)}
          style={{ minWidth: 150 }}
        />
      );
    case "reference":
      return field.reference ? (
        <RecordPicker
          reference={field.reference}
          aria-label={label}
          placeholder={field.label}
          value={value}
          onChange={(next) => onChange({ [key]: next })}
        />
      ) : null;
    case "bool":
      return (
        <Flex align="center" gap={6}>
          <Switch
            id={`filter-${field.name}`}
            aria-label={label}
            checked={value === "true"}
            onChange={(on) => onChange({ [key]: on ? "true" : null })}
          />
          <Typography.Text>
            <label htmlFor={`filter-${field.name}`}>{field.label}</label>
          </Typography.Text>
        </Flex>
      );
    case "date":
    case "datetime": {
      const from = params.get(filterKey(field.name, "from"));
      const to = params.get(filterKey(field.name, "to"));
      return (
        <DatePicker.RangePicker
          aria-label={label}
          placeholder={[t("list.rangeFrom", { field: field.label }), t("list.rangeTo")]}
          value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
          allowEmpty={[true, true]}
          onChange={(range) =>
            onChange({
              [filterKey(field.name, "from")]: range?.[0]?.format("YYYY-MM-DD") ?? null,
              [filterKey(field.name, "to")]: range?.[1]?.format("YYYY-MM-DD") ?? null,
            })
          }
        />
      );
    }
    default:
      return (
        <Input
          aria-label={label}
          placeholder={field.label}
          allowClear
          defaultValue={value ?? ""}
          onPressEnter={(event) => onChange({ [key]: event.currentTarget.value.trim() || null })}
          onBlur={(event) => onChange({ [key]: event.currentTarget.value.trim() || null })}
          style={{ width: 180 }}
        />
      );
  }
}
