import { DownloadOutlined } from "@ant-design/icons";
import { App, Button, Dropdown, Modal, Progress, Typography } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { formatBytes, saveBlob, streamToBlob, type DownloadProgress } from "../../../api/download";
import { errorText } from "../shared/fieldErrors";
import { exportUrl, type AuditFilters } from "./filters";

/**
 * Export the filtered trail as CSV or JSON Lines. The server streams it without a length,
 * so the dialog shows what has arrived (size and entries) until it is complete.
 */
export function ExportButton({ filters }: { filters: AuditFilters }) {
  const { t, i18n } = useTranslation("admin");
  const { message } = App.useApp();
  const [progress, setProgress] = useState<(DownloadProgress & { format: string }) | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = async (format: "csv" | "jsonl") => {
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ bytes: 0, lines: 0, format });
    try {
      const { blob, filename } = await streamToBlob(
        exportUrl(filters, format),
        (p) => setProgress({ ...p, format }),
        { signal: controller.signal },
      );
      saveBlob(blob, filename);
      void message.success(t("audit.exportDone"));
    } catch (error) {
      if (!controller.signal.aborted) void message.error(errorText(error, t("audit.exportFailed")));
    } finally {
      abort.current = null;
      setProgress(null);
    }
  };

  const entries = progress ? Math.max(0, progress.lines - (progress.format === "csv" ? 1 : 0)) : 0;
  return (
    <>
      <Dropdown
        menu={{
          items: [
            { key: "csv", label: t("audit.exportCsv") },
            { key: "jsonl", label: t("audit.exportJsonl") },
          ],
          onClick: ({ key }) => void start(key as "csv" | "jsonl"),
        }}
        disabled={progress !== null}
      >
        <Button icon={<DownloadOutlined />} loading={progress !== null}>
          {t("audit.export")}
        </Button>
      </Dropdown>
      <Modal
        open={progress !== null}
        title={t("audit.exporting")}
        closable={false}
        mask={{ closable: false }}
        okButtonProps={{ style: { display: "none" } }}
        cancelText={t("common:action.cancel")}
        onCancel={() => abort.current?.abort()}
      >
        {/* No total is known while the server streams: the bar moves, the figures count up. */}
        <Progress
          percent={100}
          status="active"
          showInfo={false}
          aria-label={t("audit.exporting")}
        />
        <Typography.Paragraph role="status" aria-live="polite">
          {t("audit.exportProgress", { size: formatBytes(progress?.bytes ?? 0, i18n.language), count: entries })}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
