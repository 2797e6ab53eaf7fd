import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("../../shell/testing/fetchMock")).installFetchMock());

import { ok, problem } from "../../shell/testing/fetchMock";
import { renderPage } from "../../shell/testing/render";
import SignupPage from "./SignupPage";
import { SLUG_CHECK_DELAY_MS } from "./useSlugAvailability";

const CHECK = "GET /api/v1/signup/slug-availability";

/** The slug check as the server answers it: "taken-co" is taken, "admin" reserved. */
function slugServer() {
  fake.answer({
    "GET /api/v1/me": problem(401, "Sign in"),
    [CHECK]: ({ url }) => {
      const slug = url.searchParams.get("slug") ?? "";
      if (slug === "taken-co") return ok({ slug, available: false, reason: "taken", detail: "another company uses it" });
      if (slug === "admin") return ok({ slug, available: false, reason: "reserved", detail: "'admin' is reserved" });
      return ok({ slug, available: true, reason: null, detail: null });
    },
    "POST /api/v1/signup": ({ body }) => {
      const values = body as Record<string, string>;
      if (values.password === "short") return problem(422, "password: must be at least 10 characters", [{ field: "password", message: "must be at least 10 characters" }]);
      if (values.slug === "raced-co") return problem(409, "The slug 'raced-co' is taken; choose another.");
      return { status: 201, body: { tenant: {}, user: {}, csrf_token: "x", expires_at: "2030-01-01T00:00:00Z", new_account: true } };
    },
  });
}

function slugInput() {
  return screen.getByLabelText("Company address");
}

const checkedSlugs = () => fake.callsTo(CHECK).map((call) => call.url.searchParams.get("slug"));

// Ant Design in jsdom takes its time over each keystroke.
const SLOW = { timeout: 30_000 };

describe("sign-up's slug check", SLOW, () => {
  beforeEach(slugServer);

  it("suggests a slug from the company name and says it is free", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(screen.getByLabelText("Company name"), "Acme Widgets");
    expect(slugInput()).toHaveValue("acme-widgets");
    expect(await screen.findByText("“acme-widgets” is free.")).toBeInTheDocument();
    // Asked once typing paused, not for every letter of the name.
    expect(checkedSlugs()).toEqual(["acme-widgets"]);
  });

  it("waits for typing to pause before asking the server", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(slugInput(), "taken-co");
    expect(screen.getByText("Checking whether it is free…")).toBeInTheDocument();
    expect(checkedSlugs()).toEqual([]);
    expect(await screen.findByText("“taken-co” is taken by another company. Try another.")).toBeInTheDocument();
    expect(checkedSlugs()).toEqual(["taken-co"]);
  });

  it("says a reserved slug is reserved", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(slugInput(), "admin");
    expect(await screen.findByText("“admin” is reserved. Try another.")).toBeInTheDocument();
  });

  it("says at once what is wrong with the format, without asking the server", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(slugInput(), "ab");
    expect(screen.getByText("Use at least 3 characters.")).toBeInTheDocument();
    await user.type(slugInput(), "-");
    expect(screen.getByText("Start and end with a letter or a digit.")).toBeInTheDocument();
    await new Promise((resolve) => setTimeout(resolve, SLUG_CHECK_DELAY_MS + 100));
    expect(checkedSlugs()).toEqual([]);
  });

  it("keeps to slug characters as the user types", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(slugInput(), "My Co!");
    expect(slugInput()).toHaveValue("my-co");
  });

  it("stops following the company name once the slug is edited", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(slugInput(), "own-choice");
    await user.type(screen.getByLabelText("Company name"), "Globex");
    expect(slugInput()).toHaveValue("own-choice");
  });
});

describe("signing up", SLOW, () => {
  beforeEach(slugServer);

  /** Fills the form as pasting would: one change a field (typing is tested above). */
  async function fillForm(slug: string, password: string) {
    const user = userEvent.setup();
    const paste = async (label: string, text: string) => {
      await user.click(screen.getByLabelText(label));
      await user.paste(text);
    };
    await paste("Company name", "Acme");
    await user.clear(slugInput());
    await paste("Company address", slug);
    await paste("Your name", "Ann Admin");
    await paste("Email", "ann@example.com");
    await paste("Password", password);
    await screen.findByText(`“${slug}” is free.`);
    await user.click(screen.getByRole("button", { name: "Create company" }));
  }

  it("creates the company and goes to the start page, signed in", async () => {
    const view = renderPage(<SignupPage />, { path: "/signup" });
    await fillForm("acme", "correct horse battery staple");
    await waitFor(() => expect(view.router.state.location.pathname).toBe("/"));
    expect(fake.callsTo("POST /api/v1/signup")[0]?.body).toEqual({
      company_name: "Acme",
      slug: "acme",
      name: "Ann Admin",
      email: "ann@example.com",
      password: "correct horse battery staple",
    });
  });

  it("shows the server's password rule at the password field", async () => {
    renderPage(<SignupPage />, { path: "/signup" });
    await fillForm("acme", "short");
    expect(await screen.findByText("must be at least 10 characters")).toBeInTheDocument();
  });

  it("says the slug was taken meanwhile (409) at the slug field", async () => {
    renderPage(<SignupPage />, { path: "/signup" });
    await fillForm("raced-co", "correct horse battery staple");
    expect(await screen.findByText("“raced-co” is taken by another company. Try another.")).toBeInTheDocument();
  });

  it("does not send a slug it knows is taken", async () => {
    const user = userEvent.setup();
    renderPage(<SignupPage />, { path: "/signup" });
    await user.type(slugInput(), "taken-co");
    await screen.findByText(/is taken/);
    await user.click(screen.getByRole("button", { name: "Create company" }));
    expect(fake.callsTo("POST /api/v1/signup")).toEqual([]);
  });
});
