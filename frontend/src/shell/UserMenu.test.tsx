import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

const fake = await vi.hoisted(async () => (await import("./testing/fetchMock")).installFetchMock());

import { chooseLanguage, savedLanguage } from "../i18n";
import i18n from "../i18n";
import { LanguageSwitch } from "./LanguageSwitch";
import { ok } from "./testing/fetchMock";
import { renderPage, sampleMe } from "./testing/render";
import { UserMenu } from "./UserMenu";

afterEach(() => {
  chooseLanguage("en");
  localStorage.clear();
});

describe("the user menu", { timeout: 30_000 }, () => {
  it("shows who is signed in", async () => {
    const user = userEvent.setup();
    renderPage(<UserMenu me={sampleMe()} compact={false} />);
    await user.click(await screen.findByRole("button", { name: "Account menu of Ann Admin" }));
    expect(await screen.findByText("ann@example.com")).toBeInTheDocument();
  });

  it("switches to Chinese, and the choice is kept for the next visit", async () => {
    const user = userEvent.setup();
    renderPage(<UserMenu me={sampleMe()} compact={false} />);
    await user.click(await screen.findByRole("button", { name: "Account menu of Ann Admin" }));
    await user.click(await screen.findByText("简体中文"));
    await waitFor(() => expect(i18n.language).toBe("zh"));
    expect(localStorage.getItem("tessera.language")).toBe("zh");
    expect(savedLanguage()).toBe("zh");
    expect(document.documentElement.lang).toBe("zh-CN");
    // The shell speaks Chinese at once.
    expect(await screen.findByRole("button", { name: "Ann Admin 的账户菜单" })).toBeInTheDocument();
  });

  it("signs out and goes to the log-in page", async () => {
    fake.answer({ "POST /api/v1/auth/logout": ok({ detail: "Signed out." }) });
    const user = userEvent.setup();
    const view = renderPage(<UserMenu me={sampleMe()} compact={false} />);
    await user.click(await screen.findByRole("button", { name: "Account menu of Ann Admin" }));
    await user.click(await screen.findByText("Sign out"));
    await waitFor(() => expect(view.router.state.location.pathname).toBe("/login"));
    expect(fake.callsTo("POST /api/v1/auth/logout")).toHaveLength(1);
  });
});

describe("the language switch before signing in", { timeout: 30_000 }, () => {
  it("keeps the chosen language", async () => {
    const user = userEvent.setup();
    renderPage(<LanguageSwitch />);
    await user.click(await screen.findByRole("combobox", { name: "Language" }));
    await user.click(await screen.findByTitle("简体中文"));
    await waitFor(() => expect(localStorage.getItem("tessera.language")).toBe("zh"));
    expect(i18n.language).toBe("zh");
  });
});
