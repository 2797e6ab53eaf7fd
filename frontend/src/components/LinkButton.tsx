import { Button } from "antd";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";

/**
 * The way on from a message (a Result, an empty page): a link to a page of the app, drawn
 * as the primary button.
 */
export function LinkButton({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Link to={to}>
      <Button type="primary">{children}</Button>
    </Link>
  );
}
