import { useQuery } from "@tanstack/react-query";
import { Card, Space, Typography } from "antd";
import { Link } from "react-router-dom";

import { request } from "../../api/client";
import type { components } from "../../api/schema";
import { basePathOf, resourceNamed, useMenus, useResources } from "../metadata";

export type RecordFact = components["schemas"]["RecordFact"];

const TONE_COLOURS: Record<string, string | undefined> = {
  good: "#389e0d",
  warning: "#d48806",
  danger: "#cf1322",
};

/** What the tenant's other modules know of the record (receivables of a customer, say): a row
 *  of small cards above its fields. Nothing is drawn while loading, on error or with no facts —
 *  the figures are extra, and the page stands without them. */
export function RecordFacts({ endpoint, id }: { endpoint: string; id: string }) {
  const url = endpoint.replace("{id}", encodeURIComponent(id));
  const facts = useQuery({ queryKey: ["facts", url], queryFn: () => request<RecordFact[]>("GET", url) });
  if (!facts.data || facts.data.length === 0) return null;
  return (
    <Space wrap size="middle" style={{ marginBottom: 16 }} data-testid="record-facts">
      {facts.data.map((fact, index) => (
        <Card key={`${fact.module}-${fact.label}-${index}`} size="small" style={{ minWidth: 160 }}>
          <Typography.Text type="secondary">{fact.label}</Typography.Text>
          <div style={{ fontSize: 18, fontWeight: 600, color: TONE_COLOURS[fact.tone] }}>
            <FactValue fact={fact} />
          </div>
        </Card>
      ))}
    </Space>
  );
}

function FactValue({ fact }: { fact: RecordFact }) {
  const resources = useResources();
  const menus = useMenus();
  const target = fact.record_type ? resourceNamed(resources.data, fact.record_type) : undefined;
  if (!target || !fact.record_id) return <>{fact.value}</>;
  return <Link to={`${basePathOf(target, menus.data)}/${encodeURIComponent(fact.record_id)}`}>{fact.value}</Link>;
}
