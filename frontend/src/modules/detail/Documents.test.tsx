import { mockApi, renderAt } from "../test/harness";

import { fireEvent, screen, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";

import DetailView from "../DetailView";
import { field, resource, RESOURCES } from "../test/fixtures";
import { documentUrl, languagesFor } from "./Documents";

vi.setConfig({ testTimeout: 20_000 });

const PDF = { name: "pdf", label: "PDF", endpoint: "/api/v1/expenses/bills/{id}/pdf", languages: ["en", "zh"] };
const BILL = resource({
  module: "expenses",
  name: "expenses.bill",
  label: "Bill",
  endpoint: "/api/v1/expenses/bills",
  title_field: "supplier",
  fields: [field("supplier", "Supplier")],
  documents: [PDF, { name: "slip", label: "Packing slip", endpoint: "/api/v1/expenses/bills/{id}/slip", languages: [] }],
});

describe("a record's documents", () => {
  it("are links for a new tab, in the reader's language first and the others in a menu", async () => {
    mockApi({ "GET /api/v1/ui/resources": [...RESOURCES, BILL], "GET /api/v1/expenses/bills/b%201": { id: "b 1", supplier: "Acme" } });
    renderAt(<DetailView resource={BILL} base="/expenses/bills" id="b 1" />, "/expenses/bills/b%201");
    const pdf = await screen.findByRole("link", { name: /PDF/ });
    expect(pdf).toHaveAttribute("href", "/api/v1/expenses/bills/b%201/pdf?lang=en");
    expect(pdf).toHaveAttribute("target", "_blank");
    expect(pdf.getAttribute("rel")).toContain("noopener");
    // A document in one language (or none) sends no lang and has no menu.
    expect(screen.getByRole("link", { name: /Packing slip/ })).toHaveAttribute("href", "/api/v1/expenses/bills/b%201/slip");
    fireEvent.click(screen.getByRole("button", { name: "PDF in another language" }));
    const chinese = await screen.findByRole("link", { name: "PDF in Chinese" });
    expect(chinese).toHaveAttribute("href", "/api/v1/expenses/bills/b%201/pdf?lang=zh");
    expect(within(document.body).queryByRole("link", { name: "PDF in English" })).not.toBeInTheDocument();
  });

  it("open in the reader's language when the document prints in it, else in its first", () => {
    expect(languagesFor(PDF, "zh")).toEqual(["zh", "en"]);
    expect(languagesFor(PDF, "en-US")).toEqual(["en", "zh"]);
    expect(languagesFor(PDF, "fr")).toEqual(["en", "zh"]);
    expect(documentUrl(PDF, "b1")).toBe("/api/v1/expenses/bills/b1/pdf");
  });
});
