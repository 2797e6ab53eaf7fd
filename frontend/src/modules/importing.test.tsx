import { mockApi, renderAt } from "./test/harness";

import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { ImportReport } from "./importing";
import ListView from "./ListView";
import { ACCOUNT } from "./test/fixtures";

vi.setConfig({ testTimeout: 40_000 });

const IMPORTABLE = { ...ACCOUNT, import_endpoint: "/api/v1/crm/imports/accounts" };
const CSV = "name,industry\nGlobex,Energy\nInitech,Software\n";

function report(more: Partial<ImportReport>): ImportReport {
  return {
    dry_run: true,
    rows: 2,
    columns: [
      { column: "name", field: "name" },
      { column: "industry", field: null },
    ],
    errors: [],
    warnings: [],
    error_count: 0,
    warning_count: 0,
    created: 2,
    skipped: 0,
    ...more,
  };
}

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { format: string; content: string; dry_run: boolean };
}

/** XMLHttpRequest as the import dialog uses it, answering with ``answer(body)``: it reports
 * upload progress, then loads. */
function fakeXhr(answer: (body: Sent["body"]) => { status: number; body: unknown }): Sent[] {
  const sent: Sent[] = [];
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
    send(text: string) {
      const body = JSON.parse(text) as Sent["body"];
      sent.push({ url: this.url, headers: this.headers, body });
      setTimeout(() => {
        this.upload.onprogress?.({ lengthComputable: true, loaded: text.length, total: text.length } as ProgressEvent);
        const { status, body: answerBody } = answer(body);
        this.status = status;
        this.responseText = JSON.stringify(answerBody);
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

async function chooseFile(name: string, text: string) {
  await userEvent.click(await screen.findByRole("button", { name: /Import$/ }));
  const dialog = await screen.findByRole("dialog");
  const input = dialog.querySelector<HTMLInputElement>("input[type=file]")!;
  await userEvent.upload(input, new File([text], name, { type: "text/csv" }));
  return dialog;
}

describe("importing a file into a list", () => {
  it("checks the file first, then imports every row on confirmation and refreshes the list", async () => {
    const calls = mockApi({ "GET /api/v1/crm/accounts": { items: [], next_cursor: null } });
    const sent = fakeXhr((body) =>
      body.dry_run ? { status: 200, body: report({}) } : { status: 201, body: report({ dry_run: false }) },
    );
    renderAt(<ListView resource={IMPORTABLE} base="/crm/accounts" />, "/crm/accounts");
    const dialog = await chooseFile("accounts.csv", CSV);

    expect(await within(dialog).findByText("The file is fine: 2 records will be created.")).toBeInTheDocument();
    expect(within(dialog).getByText("name → name")).toBeInTheDocument();
    expect(within(dialog).getByText("industry (not imported)")).toBeInTheDocument();
    expect(sent[0]?.body).toEqual({ format: "csv", content: CSV, encoding: "text", dry_run: true });
    expect(sent[0]?.headers["Accept-Language"]).toBe("en");
    const listsBefore = calls.filter((c) => c.path === "/api/v1/crm/accounts").length;

    await userEvent.click(within(dialog).getByRole("button", { name: "Import 2 records" }));
    expect(await within(dialog).findByText("2 records imported")).toBeInTheDocument();
    expect(sent[1]?.body.dry_run).toBe(false);
    await waitFor(() => expect(calls.filter((c) => c.path === "/api/v1/crm/accounts").length).toBeGreaterThan(listsBefore));
  });

  it("shows each problem at its line and imports nothing until the file is fixed", async () => {
    mockApi({ "GET /api/v1/crm/accounts": { items: [], next_cursor: null } });
    const problems = report({
      errors: [{ line: 3, column: "name", field: "name", message: "is required" }],
      warnings: [{ line: 2, column: "email", field: "email", message: "looks like Globex at line 1" }],
      error_count: 1,
      warning_count: 1,
      created: 1,
    });
    const sent = fakeXhr(() => ({ status: 200, body: problems }));
    renderAt(<ListView resource={IMPORTABLE} base="/crm/accounts" />, "/crm/accounts");
    const dialog = await chooseFile("accounts.csv", "name\nGlobex\n\n");

    expect(await within(dialog).findByText("1 problem must be fixed before anything can be imported")).toBeInTheDocument();
    const row = within(dialog).getByText("is required").closest("tr")!;
    expect(within(row).getByText("3")).toBeInTheDocument();
    expect(within(row).getByText("Error")).toBeInTheDocument();
    expect(within(dialog).getByText("looks like Globex at line 1")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Import 1 record" })).toBeDisabled();
    await userEvent.click(within(dialog).getByRole("button", { name: "Choose another file" }));
    expect(await within(dialog).findByText("Click or drag a CSV or XLSX file here")).toBeInTheDocument();
    expect(sent).toHaveLength(1);
  });

  it("refuses a file it cannot read before sending anything", async () => {
    mockApi({ "GET /api/v1/crm/accounts": { items: [], next_cursor: null } });
    const sent = fakeXhr(() => ({ status: 200, body: report({}) }));
    renderAt(<ListView resource={IMPORTABLE} base="/crm/accounts" />, "/crm/accounts");
    await userEvent.click(await screen.findByRole("button", { name: /Import$/ }));
    const input = (await screen.findByRole("dialog")).querySelector<HTMLInputElement>("input[type=file]")!;
    // The chooser offers CSV and XLSX only; a file dropped anyway is refused here.
    await userEvent.upload(input, new File(["x"], "notes.txt", { type: "text/plain" }), { applyAccept: false });
    expect(await screen.findByText("notes.txt is not a CSV or XLSX file.")).toBeInTheDocument();
    expect(sent).toHaveLength(0);
  });

  it("is not offered where the member may not import", async () => {
    mockApi({ "GET /api/v1/crm/accounts": { items: [], next_cursor: null } });
    renderAt(<ListView resource={ACCOUNT} base="/crm/accounts" />, "/crm/accounts");
    await screen.findByRole("heading", { level: 1, name: "Account" });
    expect(screen.queryByRole("button", { name: /Import$/ })).not.toBeInTheDocument();
  });
});
