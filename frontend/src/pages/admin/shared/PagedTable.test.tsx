import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import { ApiError } from "../../../api/client";
import type { CursorList } from "./cursor";
import { PagedTable } from "./PagedTable";

interface Row {
  id: string;
  name: string;
}

function list(over: Partial<CursorList<Row>> = {}): CursorList<Row> {
  return {
    items: [],
    isError: false,
    error: null,
    isPending: false,
    hasNextPage: false,
    isFetchingNextPage: false,
    refetch: vi.fn(),
    fetchNextPage: vi.fn(),
    ...over,
  } as CursorList<Row>;
}

const columns = [{ title: "Name", dataIndex: "name", key: "name" }];

describe("a paged admin table", { timeout: 30_000 }, () => {
  it("says what an empty list means, with the way on", () => {
    render(
      <PagedTable
        list={list()}
        rowKey="id"
        columns={columns}
        emptyText="Nothing here yet."
        emptyAction={<button>Create one</button>}
      />,
    );
    expect(screen.getByText("Nothing here yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create one" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("shows the rows and reads the next page on demand", () => {
    const rows = list({ items: [{ id: "1", name: "Ada" }], hasNextPage: true });
    render(<PagedTable list={rows} rowKey="id" columns={columns} emptyText="Nothing." />);
    expect(screen.getByRole("cell", { name: "Ada" })).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(rows.fetchNextPage).toHaveBeenCalled();
  });

  it("says a failed load and offers to try again, instead of an empty table", () => {
    const failed = list({
      isError: true,
      error: new ApiError({ status: 500, title: "Internal Server Error" }),
    });
    render(<PagedTable list={failed} rowKey="id" columns={columns} emptyText="Nothing." />);
    expect(screen.queryByText("Nothing.")).toBeNull();
    expect(screen.getByRole("alert")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(failed.refetch).toHaveBeenCalled();
  });
});
