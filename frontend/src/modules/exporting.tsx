import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown, Modal, Progress, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { formatBytes, saveBlob, streamToBlob } from "../api/download";
import type { Query } from "./records";

export type ExportFormat = "csv" | "xlsx";

/** The address of a list's export: its filters and sort, and the format. */
function exportUrl(endpoint: string, query: Query, format: ExportFormat): URL {
  const url = new URL(endpoint, window.location.origin);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
  }
  url.searchParams.set("format", format);
  return url;
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
      const { blob, filename } = await streamToBlob(
        exportUrl(endpoint, query, format),
        (progress) => setBytes(progress.bytes),
        { signal: abort.current.signal, fallbackName: `export.${format}` },
      );
      saveBlob(blob, filename);
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
          {t("export.progress", { size: formatBytes(bytes, i18n.language) })}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
