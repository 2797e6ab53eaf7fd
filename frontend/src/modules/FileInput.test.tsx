import { mockApi, renderAt } from "./test/harness";

import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import FormView from "./FormView";
import { FieldValue } from "./format";
import { field, resource } from "./test/fixtures";

vi.setConfig({ testTimeout: 20_000 });

const RECEIPT = field("receipt_file_id", "Receipt", {
  type: "file",
  upload_endpoint: "/api/v1/oa/expenses/receipts",
  download_endpoint: "/api/v1/oa/expenses/lines/{id}/receipt",
});
const LINE = resource({
  name: "oa.expense_line",
  label: "Expense line",
  endpoint: "/api/v1/oa/expenses/lines",
  fields: [field("description", "Description", { required: true }), RECEIPT],
  list_columns: ["description"],
  form: [["description"], ["receipt_file_id"]],
  title_field: "description",
});

interface Upload {
  url: string;
  file: File | null;
  csrf: string | undefined;
}

/** XMLHttpRequest answering each upload with ``answer``; what was sent is recorded. */
function fakeXhr(answer: { status: number; body: unknown }) {
  const sent: Upload[] = [];
  class FakeXhr {
    status = 0;
    responseText = "";
    withCredentials = false;
    upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private url = "";
    private headers: Record<string, string> = {};
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader(name: string, value: string) {
      this.headers[name] = value;
    }
    abort() {
      this.onabort?.();
    }
    send(body: FormData) {
      sent.push({ url: this.url, file: body.get("file") as File | null, csrf: this.headers["X-CSRF-Token"] });
      setTimeout(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: 1, total: 1 } as ProgressEvent);
        this.status = answer.status;
        this.responseText = JSON.stringify(answer.body);
        this.onload?.();
      }, 10);
    }
  }
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

async function choose(name: string) {
  const input = document.querySelector<HTMLInputElement>("input[type=file]");
  await userEvent.upload(input!, new File(["%PDF-1.4"], name, { type: "application/pdf" }));
}

describe("a file field", () => {
  it("uploads the chosen file at once and saves the record with the stored file's id", async () => {
    const calls = mockApi({ "POST /api/v1/oa/expenses/lines": { id: "l1", description: "Taxi", receipt_file_id: "f1" } });
    const sent = fakeXhr({ status: 201, body: { id: "f1", filename: "taxi.pdf", size: 8 } });
    renderAt(<FormView resource={LINE} base="/oa/expenses/lines" />, "/oa/expenses/lines/new");
    await userEvent.type(await screen.findByLabelText("Description"), "Taxi");
    await choose("taxi.pdf");
    expect(await screen.findByText("taxi.pdf")).toBeInTheDocument();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).toBe("/api/v1/oa/expenses/receipts");
    expect(sent[0]?.file?.name).toBe("taxi.pdf");
    expect(screen.getByRole("button", { name: "Receipt" })).toHaveTextContent("Replace the file");

    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ description: "Taxi", receipt_file_id: "f1" });
  });

  it("says why an upload was refused, and keeps the field empty", async () => {
    const calls = mockApi({ "POST /api/v1/oa/expenses/lines": { id: "l1", description: "Taxi" } });
    fakeXhr({ status: 413, body: { status: 413, title: "Too large", detail: "The file is larger than 10 MB." } });
    renderAt(<FormView resource={LINE} base="/oa/expenses/lines" />, "/oa/expenses/lines/new");
    await userEvent.type(await screen.findByLabelText("Description"), "Taxi");
    await choose("scan.pdf");
    expect(await screen.findByRole("alert")).toHaveTextContent("scan.pdf was not uploaded: The file is larger than 10 MB.");

    fireEvent.click(screen.getByRole("button", { name: "Create" }));
    await waitFor(() => expect(calls.some((c) => c.method === "POST")).toBe(true));
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ description: "Taxi" });
  });

  it("is shown as a link that downloads the record's file", async () => {
    mockApi();
    renderAt(<FieldValue field={RECEIPT} record={{ id: "l1", receipt_file_id: "f1" }} />, "/");
    const link = await screen.findByRole("link", { name: "Download" });
    expect(link).toHaveAttribute("href", "/api/v1/oa/expenses/lines/l1/receipt");
  });
});
