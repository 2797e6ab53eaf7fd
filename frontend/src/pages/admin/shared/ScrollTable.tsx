import { Table, type TableProps } from "antd";
import { useEffect, useRef } from "react";

/**
 * antd's Table that scrolls sideways on narrow screens, with the scrolling area reachable by
 * keyboard (tabindex): a table with no links or buttons in it could not be scrolled without
 * a mouse otherwise (axe: scrollable-region-focusable).
 */
export function ScrollTable<T extends object>(props: TableProps<T>) {
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const regions = wrapper.current?.querySelectorAll<HTMLElement>(
      ".ant-table-content, .ant-table-body",
    );
    regions?.forEach((region) => {
      if (region.tabIndex < 0) region.tabIndex = 0;
    });
  });
  return (
    <div ref={wrapper}>
      <Table<T> scroll={{ x: "max-content" }} pagination={false} {...props} />
    </div>
  );
}
