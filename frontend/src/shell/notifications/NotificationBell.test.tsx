import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("../testing/fetchMock")).installFetchMock());

import { ok } from "../testing/fetchMock";
import { renderPage, sampleMe } from "../testing/render";
import { NotificationBell } from "./NotificationBell";

let unread: { id: string; title: string; read_at: string | null }[];

beforeEach(() => {
  const created_at = new Date().toISOString();
  unread = [
    { id: "n1", title: "Approval requested: crm.deal", read_at: null },
    { id: "n2", title: "Ticket breached its SLA", read_at: null },
  ];
  const list = () =>
    unread.map((n) => ({ ...n, type: "t", body: "", link: n.id === "n1" ? "/approvals/i-1" : null, created_at }));
  fake.answer({
    "GET /api/v1/me": ok(sampleMe()),
    "GET /api/v1/notifications/unread-count": () => ok({ unread: unread.filter((n) => !n.read_at).length }),
    "GET /api/v1/notifications": () => ok({ items: list(), next_cursor: null }),
    "POST /api/v1/notifications/read-all": () => {
      unread = unread.map((n) => ({ ...n, read_at: created_at }));
      return ok({ marked: 2 });
    },
    "POST /api/v1/notifications/n2/read": () => {
      unread = unread.map((n) => (n.id === "n2" ? { ...n, read_at: created_at } : n));
      return ok({});
    },
  });
});

describe("the notifications bell", { timeout: 30_000 }, () => {
  it("counts the unread, lists the latest, and marks one read", async () => {
    const user = userEvent.setup();
    renderPage(<NotificationBell />);
    const bell = await screen.findByRole("button", { name: "Notifications, 2 unread" });
    await user.click(bell);
    expect(await screen.findByRole("link", { name: "Approval requested: crm.deal" })).toHaveAttribute("href", "/approvals/i-1");
    await user.click(screen.getByRole("button", { name: "Mark “Ticket breached its SLA” as read" }));
    await screen.findByRole("button", { name: "Notifications, 1 unread" });
    expect(fake.callsTo("POST /api/v1/notifications/n2/read")).toHaveLength(1);
  });

  it("marks all as read", async () => {
    const user = userEvent.setup();
    renderPage(<NotificationBell />);
    await user.click(await screen.findByRole("button", { name: "Notifications, 2 unread" }));
    await user.click(await screen.findByRole("button", { name: "Mark all as read" }));
    await screen.findByRole("button", { name: "Notifications, 0 unread" });
    await waitFor(() => expect(screen.queryByRole("button", { name: /^Mark “/ })).not.toBeInTheDocument());
  });
});
