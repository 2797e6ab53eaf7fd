import { Skeleton } from "antd";

/** What a page shows while its code or first data arrives. */
export function PageLoading() {
  return (
    <div role="status" aria-live="polite" style={{ padding: 24 }}>
      <Skeleton active paragraph={{ rows: 6 }} />
    </div>
  );
}
