import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("../../shell/testing/fetchMock")).installFetchMock());

import { ok, problem } from "../../shell/testing/fetchMock";
import { renderPage } from "../../shell/testing/render";
import AcceptInvitationPage from "./AcceptInvitationPage";

const PATH = "/invitations/accept?token=signed.invitation.token";

describe("accepting an invitation", { timeout: 30_000 }, () => {
  it("switches to a new account when the address has none, then joins", async () => {
    fake.answer({
      "POST /api/v1/invitations/accept": ({ body }) => {
        const values = body as { name?: string };
        return values.name
          ? ok({ user: {}, tenant: {}, csrf_token: "x", expires_at: "2030-01-01T00:00:00Z" })
          : problem(422, "name: is required to create your account", [{ field: "name", message: "is required to create your account" }]);
      },
      "GET /api/v1/me": problem(401, "Sign in"),
    });
    const user = userEvent.setup();
    const view = renderPage(<AcceptInvitationPage />, { path: PATH, route: "/invitations/accept" });
    await user.click(await screen.findByText("I have an account"));
    await user.click(screen.getByLabelText("Password"));
    await user.paste("a long enough password");
    await user.click(screen.getByRole("button", { name: "Sign in and join" }));

    expect(await screen.findByText(/There is no account for this email yet/)).toBeInTheDocument();
    await user.click(screen.getByLabelText("Your name"));
    await user.paste("Ivy Newcomer");
    await user.click(screen.getByRole("button", { name: "Create account and join" }));
    await waitFor(() => expect(view.router.state.location.pathname).toBe("/"));
    expect(fake.callsTo("POST /api/v1/invitations/accept").map((c) => c.body)).toEqual([
      { token: "signed.invitation.token", password: "a long enough password" },
      { token: "signed.invitation.token", name: "Ivy Newcomer", password: "a long enough password" },
    ]);
  });

  it("says a withdrawn or used invitation cannot be used", async () => {
    fake.answer({ "POST /api/v1/invitations/accept": problem(410, "This invitation has been withdrawn.") });
    const user = userEvent.setup();
    renderPage(<AcceptInvitationPage />, { path: PATH, route: "/invitations/accept" });
    await user.click(await screen.findByLabelText("Your name"));
    await user.paste("Ivy");
    await user.click(screen.getByLabelText("Choose a password"));
    await user.paste("a long enough password");
    await user.click(screen.getByRole("button", { name: "Create account and join" }));
    expect(await screen.findByText("This invitation cannot be used")).toBeInTheDocument();
  });
});
