import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const server = await vi.hoisted(async () =>
  (await import("../shared/testing/mockApi")).installFetchMock(),
);

import { meAnswer } from "../shared/testing/mockApi";
import { renderPage } from "../shared/testing/render";
import TokensPage from "./TokensPage";

const SECRET = "tsk_AAAAsecretvalueBBBB";
const token = (over: Record<string, unknown> = {}) => ({
  id: "tok-1",
  name: "CI deploys",
  hint: "BBBB",
  created_at: "2026-01-01T10:00:00Z",
  expires_at: null,
  last_used_at: null,
  revoked_at: null,
  ...over,
});

beforeEach(() => {
  server.reset();
  server.on("GET", "/api/v1/me", { body: meAnswer({ "identity.member.read": "all" }) });
  let created = false;
  server.on("GET", "/api/v1/tokens", () => ({
    body: { items: created ? [token()] : [], next_cursor: null },
  }));
  server.on("POST", "/api/v1/tokens", () => {
    created = true;
    return { status: 201, body: { token: token(), secret: SECRET } };
  });
});
afterEach(cleanup);

// antd forms in jsdom are slow on a busy two-core machine.
describe("API tokens", { timeout: 30_000 }, () => {
  it("shows a new token's secret once, with a copy button, and then never again", async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderPage(<TokensPage />);

    expect(await screen.findByText(/You have no API tokens/)).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "CI deploys" } });
    fireEvent.click(screen.getByRole("button", { name: /Create token/ }));

    const dialog = await screen.findByRole("dialog", { name: "Your new API token" });
    expect(dialog).toHaveTextContent("only time it is shown");
    expect(screen.getByLabelText("Secret")).toHaveValue(SECRET);
    expect(server.calls.find((c) => c.method === "POST")?.body).toEqual({
      name: "CI deploys",
      expires_in_days: 90,
    });

    fireEvent.click(screen.getByRole("button", { name: /Copy$/ }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
    expect(await screen.findByRole("button", { name: /Copied$/ })).toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByDisplayValue(SECRET)).toBeNull());
    // The list shows the token by its hint only.
    expect(await screen.findByText("CI deploys")).toBeInTheDocument();
    expect(screen.getByText("tsk_…BBBB")).toBeInTheDocument();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it("says why a token cannot be created by a field", async () => {
    server.on("POST", "/api/v1/tokens", {
      status: 422,
      body: {
        status: 422,
        detail: "name: must not be empty",
        errors: [{ field: "name", message: "must not be empty" }],
      },
    });
    renderPage(<TokensPage />);
    await screen.findByText(/You have no API tokens/);
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "x" } });
    fireEvent.click(screen.getByRole("button", { name: /Create token/ }));
    expect(await screen.findByText("must not be empty")).toBeInTheDocument();
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
