import { AppstoreOutlined, CalendarOutlined, UnorderedListOutlined } from "@ant-design/icons";
import { Flex, Segmented, Typography } from "antd";
import { useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";

import type { ResourceMeta } from "./types";

/** A screen's heading (the page's one h1) with its actions beside it; wraps on a phone. */
export function PageHeader(props: { title: ReactNode; extra?: ReactNode; children?: ReactNode }) {
  return (
    <header style={{ marginBottom: 16 }}>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {props.title}
        </Typography.Title>
        {props.extra ? (
          <Flex gap={8} wrap>
            {props.extra}
          </Flex>
        ) : null}
      </Flex>
      {props.children}
    </header>
  );
}

/** Every module screen: its padding, narrower on a phone. */
export function Screen({ children }: { children: ReactNode }) {
  return (
    <div style={{ padding: "clamp(12px, 3vw, 24px)", maxWidth: 1600 }}>{children}</div>
  );
}

/** List, board and calendar of a resource: one switch, shown when there is more than a list. */
export function ViewSwitch(props: {
  resource: ResourceMeta;
  base: string;
  current: "list" | "board" | "calendar";
}) {
  const { t } = useTranslation("modules");
  const navigate = useNavigate();
  const { resource, base } = props;
  if (!resource.kanban_by && !resource.calendar_by) return null;
  const options = [{ value: "list", label: t("view.list"), icon: <UnorderedListOutlined /> }];
  if (resource.kanban_by) options.push({ value: "board", label: t("view.board"), icon: <AppstoreOutlined /> });
  if (resource.calendar_by)
    options.push({ value: "calendar", label: t("view.calendar"), icon: <CalendarOutlined /> });
  return (
    <Segmented
      aria-label={t("view.switch")}
      value={props.current}
      options={options}
      onChange={(value) => navigate(value === "list" ? base : `${base}/${String(value)}`)}
    />
  );
}

/** ``value``, once it has stopped changing for ``ms`` (search as you type, not per key). */
export function useDebounced<T>(value: T, ms = 300): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
