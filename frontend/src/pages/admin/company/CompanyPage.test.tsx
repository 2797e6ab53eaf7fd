import { cleanup, fireEvent, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const server = await vi.hoisted(async () =>
  (await import("../shared/testing/mockApi")).installFetchMock(),
);

import { meAnswer } from "../shared/testing/mockApi";
import { renderPage } from "../shared/testing/render";
import { changedTexts } from "./company";
import CompanyPage from "./CompanyPage";

const PROFILE = {
  legal_name: "Acme Trading Ltd",
  address: "1 Main St\nShanghai",
  tax_id: "",
  phone: "",
  email: "",
  logo_file_id: null as string | null,
};

function signedIn(permissions: Record<string, string>) {
  server.on("GET", "/api/v1/me", { body: meAnswer({ "identity.member.read": "all", ...permissions }) });
}

beforeEach(() => {
  server.reset();
  let profile = { ...PROFILE };
  server.on("GET", "/api/v1/company", () => ({ body: profile }));
  server.on("PATCH", "/api/v1/company", (call) => {
    profile = { ...profile, ...(call.body as object) };
    return { body: profile };
  });
  server.on("PUT", "/api/v1/company/logo", () => {
    profile = { ...profile, logo_file_id: "f-2" };
    return { body: profile };
  });
  server.on("DELETE", "/api/v1/company/logo", () => {
    profile = { ...profile, logo_file_id: null };
    return { body: profile };
  });
});
afterEach(cleanup);

function choose(file: File) {
  const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
  fireEvent.change(input, { target: { files: [file] } });
}

describe("the company profile", { timeout: 60_000 }, () => {
  it("sends only what changed, and shows the server's refusal at its field", async () => {
    signedIn({ "company.profile.manage": "all" });
    renderPage(<CompanyPage />);
    const name = await screen.findByLabelText("Legal name");
    expect(name).toHaveValue("Acme Trading Ltd");
    expect(screen.getByLabelText("Address")).toHaveValue("1 Main St\nShanghai");
    fireEvent.change(screen.getByLabelText("Tax ID"), { target: { value: " 91310000MA1K4XYZ " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(server.calls.some((c) => c.method === "PATCH")).toBe(true));
    expect(server.calls.find((c) => c.method === "PATCH")?.body).toEqual({ tax_id: "91310000MA1K4XYZ" });
    expect(await screen.findByText("Company profile saved")).toBeInTheDocument();

    server.on("PATCH", "/api/v1/company", {
      status: 422,
      body: { status: 422, title: "Invalid input", errors: [{ field: "phone", message: "must be at most 50 characters" }] },
    });
    fireEvent.change(screen.getByLabelText("Phone"), { target: { value: "+86 21 5555 0100" } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    const refusal = await screen.findByText("must be at most 50 characters");
    expect(refusal.closest(".ant-form-item")?.querySelector("label")?.textContent).toBe("Phone");
  });

  it("will not save without a legal name", async () => {
    signedIn({ "company.profile.manage": "all" });
    renderPage(<CompanyPage />);
    fireEvent.change(await screen.findByLabelText("Legal name"), { target: { value: "  " } });
    fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Enter the company's legal name")).toBeInTheDocument();
    expect(server.calls.some((c) => c.method === "PATCH")).toBe(false);
  });

  it("uploads a logo and previews it, refusing what the server would refuse before sending", async () => {
    signedIn({ "company.profile.manage": "all" });
    renderPage(<CompanyPage />);
    expect(await screen.findByText(/No logo yet/)).toBeInTheDocument();
    choose(new File(["GIF89a"], "logo.gif", { type: "image/gif" }));
    expect(await screen.findByText("Choose a PNG or JPEG image.")).toBeInTheDocument();
    choose(new File([new Uint8Array(1024 * 1024 + 1)], "huge.png", { type: "image/png" }));
    expect(await screen.findByText(/larger than 1 MB/)).toBeInTheDocument();
    expect(server.calls.some((c) => c.method === "PUT")).toBe(false);

    choose(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], "logo.png", { type: "image/png" }));
    const logo = await screen.findByRole("img", { name: "Logo of Acme Trading Ltd" });
    expect(logo).toHaveAttribute("src", "/api/v1/company/logo?v=f-2");
    const put = server.calls.find((c) => c.method === "PUT");
    expect(String(put?.body)).toContain('name="file"; filename="logo.png"');
    expect(screen.queryByText("Choose a PNG or JPEG image.")).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole("button", { name: "Remove the logo" }));
    // The question's own button has the action's name too.
    await waitFor(() => expect(screen.getAllByRole("button", { name: "Remove the logo" })).toHaveLength(2));
    expect(server.calls.some((c) => c.method === "DELETE")).toBe(false);
    fireEvent.click(screen.getAllByRole("button", { name: "Remove the logo" })[1]!);
    expect(await screen.findByText(/No logo yet/)).toBeInTheDocument();
    expect(server.calls.some((c) => c.method === "DELETE")).toBe(true);
  });

  it("is read-only to a member who may not manage it", async () => {
    signedIn({});
    renderPage(<CompanyPage />);
    expect(await screen.findByLabelText("Legal name")).toBeDisabled();
    expect(screen.getByText("Only members who may manage the company profile can change it.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Upload a logo" })).not.toBeInTheDocument();
  });
});

describe("what a save sends", () => {
  it("is what changed, trimmed; an emptied text is sent empty to clear it", () => {
    expect(changedTexts(PROFILE, { ...PROFILE, phone: " 123 ", address: "" })).toEqual({ phone: "123", address: "" });
    expect(changedTexts(PROFILE, PROFILE)).toEqual({});
  });
});
