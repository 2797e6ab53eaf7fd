import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("../../shell/testing/fetchMock")).installFetchMock());

import { ok, problem, type Route } from "../../shell/testing/fetchMock";
import { renderPage } from "../../shell/testing/render";
import LoginPage from "./LoginPage";

function server(login: Route) {
  let signedIn = false;
  fake.answer({
    "GET /api/v1/me": () => (signedIn ? ok({ user: { id: "u" } }) : problem(401, "Sign in")),
    "POST /api/v1/auth/login": async (request) => {
      const answer = typeof login === "function" ? await login(request) : login;
      signedIn = (answer.status ?? 200) < 400;
      return answer;
    },
  });
}

async function logIn(password = "correct horse battery staple") {
  const user = userEvent.setup();
  await user.click(await screen.findByLabelText("Email"));
  await user.paste("ann@example.com");
  await user.click(screen.getByLabelText("Password"));
  await user.paste(password);
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("log-in", { timeout: 30_000 }, () => {
  it("says plainly when the email or password is wrong (401), and clears the password", async () => {
    server(problem(401, "The email or password is not correct."));
    renderPage(<LoginPage />, { path: "/login" });
    await logIn("wrong guess");
    expect(await screen.findByRole("alert")).toHaveTextContent("The email or password is not correct. Check them and try again.");
    expect(screen.getByLabelText("Password")).toHaveValue("");
  });

  it("says to wait when attempts are throttled (429)", async () => {
    server(problem(429, "Too many failed sign-in attempts; try again later."));
    renderPage(<LoginPage />, { path: "/login" });
    await logIn();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Too many failed sign-in attempts. Wait a few minutes before trying again, or reset your password.",
    );
  });

  it("goes back to the page it was sent from", async () => {
    server(ok({ user: {}, tenant: null, csrf_token: "x", expires_at: "2030-01-01T00:00:00Z" }));
    const view = renderPage(<LoginPage />, { path: "/login?next=%2Fcrm%2Fdeals%3Fstage%3D2", route: "/login" });
    await logIn();
    await waitFor(() => expect(view.router.state.location.pathname).toBe("/crm/deals"));
    expect(view.router.state.location.search).toBe("?stage=2");
    expect(fake.callsTo("POST /api/v1/auth/login")[0]?.body).toEqual({
      email: "ann@example.com",
      password: "correct horse battery staple",
    });
  });

  it("ignores a next address on another site", async () => {
    server(ok({ user: {}, tenant: null, csrf_token: "x", expires_at: "2030-01-01T00:00:00Z" }));
    const view = renderPage(<LoginPage />, { path: "/login?next=https%3A%2F%2Fevil.example%2F", route: "/login" });
    await logIn();
    await waitFor(() => expect(view.router.state.location.pathname).toBe("/"));
  });
});
