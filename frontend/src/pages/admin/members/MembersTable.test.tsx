import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const server = await vi.hoisted(async () =>
  (await import("../shared/testing/mockApi")).installFetchMock(),
);

import { useMembers } from "../../../app/members";
import { meAnswer } from "../shared/testing/mockApi";
import { renderPage } from "../shared/testing/render";
import { MembersTable } from "./MembersTable";

const member = (id: string, name: string, role = "member") => ({
  id: `m-${id}`,
  user_id: `u-${id}`,
  email: `${id}@example.com`,
  name,
  role,
  manager_id: null,
  joined_at: "2026-01-01T10:00:00Z",
});

let members: ReturnType<typeof member>[];

beforeEach(() => {
  server.reset();
  members = [member("1", "Olive Owner", "owner"), member("bob", "Bob Porter")];
  server.on("GET", "/api/v1/me", {
    body: meAnswer({ "identity.member.read": "all", "identity.member.manage": "all" }),
  });
  server.on("GET", "/api/v1/members", () => ({ body: { items: members, next_cursor: null } }));
  server.on("DELETE", /^\/api\/v1\/members\/[^/]+$/, (call) => {
    members = members.filter((m) => `/api/v1/members/${m.id}` !== call.path);
    return { status: 204 };
  });
  server.on("PATCH", /^\/api\/v1\/members\/[^/]+$/, () => {
    // Someone accepted an invitation meanwhile: the next read of the members has them.
    members = [...members, member("cy", "Cy Newcomer")];
    return { body: members[1] };
  });
});
afterEach(cleanup);

/** What a people picker elsewhere in the app offers: the shared members list. */
function Picker() {
  const list = useMembers();
  return (
    <ul aria-label="Picker">
      {list.data?.map((m) => (
        <li key={m.id}>{m.name}</li>
      ))}
    </ul>
  );
}

const picker = () => within(screen.getByRole("list", { name: "Picker" }));

describe("the members table", { timeout: 30_000 }, () => {
  it("takes a removed member out of every members list, the pickers' too", async () => {
    renderPage(
      <>
        <MembersTable />
        <Picker />
      </>,
    );
    expect(await picker().findByText("Bob Porter")).toBeInTheDocument();

    fireEvent.click(await screen.findByRole("button", { name: "Remove Bob Porter (bob@example.com)" }));
    const confirm = await screen.findAllByRole("button", { name: "Remove" });
    fireEvent.click(confirm[confirm.length - 1]!);

    await waitFor(() => expect(picker().queryByText("Bob Porter")).toBeNull());
    expect(server.calls.filter((c) => c.method === "DELETE")).toHaveLength(1);
  });

  it("reads the members again after a change, so the pickers offer who joined meanwhile", async () => {
    renderPage(
      <>
        <MembersTable />
        <Picker />
      </>,
    );
    expect(await picker().findByText("Bob Porter")).toBeInTheDocument();
    expect(picker().queryByText("Cy Newcomer")).toBeNull();

    fireEvent.mouseDown(
      screen.getByRole("combobox", { name: "Role of Bob Porter (bob@example.com)" }),
    );
    fireEvent.click(await screen.findByTitle("Administrator"));

    expect(await picker().findByText("Cy Newcomer")).toBeInTheDocument();
  });
});
