import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown, Modal, Progress, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, type Problem } from "../api/client";
import type { Query } from "./records";

export type ExportFormat = "csv" | "xlsx";

/**
 * Fetches an export (a stream: its length is not known ahead), telling ``onProgress`` the
 * bytes received so far; the file's name comes from the answer's Content-Disposition.
 */
export async function downloadExport(
  endpoint: string,
  query: Query,
  format: ExportFormat,
  onProgress: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<{ blob: Blob; filename: string }> {
  const url = new URL(endpoint, window.location.origin);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
  }
  url.searchParams.set("format", format);
  const response = await fetch(url, { credentials: "same-origin", signal });
  if (!response.ok) {
    const text = await response.text();
    let problem: Problem = { status: response.status };
    try {
      problem = { status: response.status, ...(JSON.parse(text) as object) };
    } catch {
      // Not problem details: the status says enough.
    }
    throw new ApiError(problem);
  }
  const chunks: BlobPart[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.length;
      onProgress(received);
    }
  } else {
    chunks.push(await response.blob());
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `export.${format}`;
  return { blob: new Blob(chunks, { type: response.headers.get("Content-Type") ?? undefined }), filename };
}

function save(blob: Blob, filename: string) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

function size(bytes: number, language: string): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

/** "Export" of the filtered, sorted list as CSV or XLSX, with the bytes received so far. */
export function ExportButton({ endpoint, query }: { endpoint: string; query: Query }) {
  const { t, i18n } = useTranslation("modules");
  const { message } = App.useApp();
  const [running, setRunning] = useState<ExportFormat | null>(null);
  const [bytes, setBytes] = useState(0);
  const abort = useRef<AbortController | null>(null);

  async function run(format: ExportFormat) {
    abort.current = new AbortController();
    setRunning(format);
    setBytes(0);
    try {
      const { blob, filename } = await downloadExport(endpoint, query, format, setBytes, abort.current.signal);
      save(blob, filename);
      void message.success(t("export.done", { filename }));
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "AbortError")) {
        void message.error(error instanceof ApiError ? error.message : t("export.failed"));
      }
    } finally {
      setRunning(null);
    }
  }

  return (
    <>
      <Dropdown
        menu={{
          items: [
            { key: "csv", label: t("export.csv") },
            { key: "xlsx", label: t("export.xlsx") },
          ],
          onClick: ({ key }) => void run(key as ExportFormat),
        }}
        disabled={running !== null}
      >
        <Button icon={<DownloadOutlined />}>{t("export.button")}</Button>
      </Dropdown>
      <Modal
        open={running !== null}
        title={t("export.title")}
        closable={false}
        maskClosable={false}
        footer={<Button onClick={() => abort.current?.abort()}>{t("export.cancel")}</Button>}
      >
        <Progress percent={100} status="active" showInfo={false} aria-label={t("export.title")} />
        <Typography.Paragraph role="status" aria-live="polite">
          {t("export.progress", { size: size(bytes, i18n.language) })}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
