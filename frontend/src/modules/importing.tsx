import { InboxOutlined, UploadOutlined } from "@ant-design/icons";
import { Alert, App, Button, Descriptions, Modal, Progress, Space, Table, Tag, Typography, Upload } from "antd";
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError, type Problem } from "../api/client";
import { postWithProgress } from "../api/upload";

/** The largest file an import takes (the CRM's limit; a plugin's endpoint refuses larger). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** One problem of an import, at a line of the file (the plugin guide's "Imports"). */
export interface ImportProblem {
  line: number;
  column?: string | null;
  field?: string | null;
  message: string;
}

/** What an import endpoint answers: a dry run's findings, or a commit's outcome. */
export interface ImportReport {
  dry_run: boolean;
  rows: number;
  columns: { column: string; field: string | null }[];
  errors: ImportProblem[];
  warnings: ImportProblem[];
  error_count: number;
  warning_count: number;
  created: number;
  skipped: number;
}

export interface ImportFile {
  name: string;
  format: "csv" | "xlsx";
  /** Text for CSV, base64 for XLSX. */
  content: string;
  encoding: "text" | "base64";
}

/** A chosen file as the import endpoint takes it, or null for a type it does not read. */
export async function readImportFile(file: Blob & { name: string }): Promise<ImportFile | null> {
  const name = file.name;
  if (/\.csv$/i.test(name)) return { name, format: "csv", content: await read(file, "text"), encoding: "text" };
  if (!/\.xlsx$/i.test(name)) return null;
  const url = await read(file, "dataURL");
  return { name, format: "xlsx", content: url.slice(url.indexOf(",") + 1), encoding: "base64" };
}

function read(file: Blob, as: "text" | "dataURL"): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    if (as === "text") reader.readAsText(file);
    else reader.readAsDataURL(file);
  });
}

/**
 * Sends a file to an import endpoint, telling ``onSent`` the share of the request uploaded so
 * far (XMLHttpRequest: fetch reports no upload progress). A refused commit (422 with the
 * report in its problem details) answers the report, for the dialog to show its errors.
 */
export async function sendImport(
  endpoint: string,
  file: ImportFile,
  dryRun: boolean,
  onSent: (share: number) => void,
  signal?: AbortSignal,
): Promise<ImportReport> {
  const body = JSON.stringify({ format: file.format, content: file.content, encoding: file.encoding, dry_run: dryRun });
  const sent = await postWithProgress(endpoint, body, onSent, { signal, contentType: "application/json" });
  const parsed = sent.body;
  if (sent.status >= 200 && sent.status < 300) return parsed as ImportReport;
  if (sent.status === 422 && parsed && typeof parsed === "object" && "error_count" in parsed) {
    return { ...(parsed as ImportReport), dry_run: false, created: 0 };
  }
  throw new ApiError({ status: sent.status, ...((parsed as object | undefined) ?? {}) } as Problem);
}

type Step =
  | { kind: "choose" }
  | { kind: "sending"; file: ImportFile; dryRun: boolean; share: number }
  | { kind: "report"; file: ImportFile; report: ImportReport }
  | { kind: "done"; report: ImportReport };

/** "Import" of a CSV or XLSX file: checked first (every problem by line), then all rows or none. */
export function ImportButton({ endpoint, label, onImported }: { endpoint: string; label: string; onImported: () => void }) {
  const { t } = useTranslation("modules");
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [step, setStep] = useState<Step>({ kind: "choose" });
  const abort = useRef<AbortController | null>(null);

  async function send(file: ImportFile, dryRun: boolean) {
    abort.current = new AbortController();
    setStep({ kind: "sending", file, dryRun, share: 0 });
    try {
      const report = await sendImport(
        endpoint,
        file,
        dryRun,
        (share) => setStep({ kind: "sending", file, dryRun, share }),
        abort.current.signal,
      );
      if (!dryRun && report.error_count === 0) {
        setStep({ kind: "done", report });
        onImported();
      } else setStep({ kind: "report", file, report });
    } catch (error) {
      setStep({ kind: "choose" });
      if (!(error instanceof DOMException && error.name === "AbortError")) {
        void message.error(error instanceof ApiError ? error.message : t("import.failed"));
      }
    }
  }

  async function choose(file: File) {
    if (file.size > MAX_IMPORT_BYTES) {
      void message.error(t("import.tooLarge", { name: file.name }));
      return;
    }
    const read = await readImportFile(file);
    if (!read) {
      void message.error(t("import.wrongType", { name: file.name }));
      return;
    }
    await send(read, true);
  }

  function close() {
    abort.current?.abort();
    setOpen(false);
    setStep({ kind: "choose" });
  }

  return (
    <>
      <Button icon={<UploadOutlined />} onClick={() => setOpen(true)}>
        {t("import.button")}
      </Button>
      <Modal
        open={open}
        title={t("import.title", { resource: label })}
        onCancel={close}
        maskClosable={false}
        width={720}
        footer={<ImportFooter step={step} onCommit={(file) => void send(file, false)} onAgain={() => setStep({ kind: "choose" })} onClose={close} />}
      >
        {step.kind === "choose" && (
          <Upload.Dragger
            accept=".csv,.xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              void choose(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined aria-hidden />
            </p>
            <p className="ant-upload-text">{t("import.choose")}</p>
            <p className="ant-upload-hint">{t("import.hint")}</p>
          </Upload.Dragger>
        )}
        {step.kind === "sending" && (
          <div role="status" aria-live="polite">
            <Progress percent={Math.round(step.share * 100)} status="active" aria-label={t("import.sendingLabel")} />
            <Typography.Paragraph>
              {step.share < 1
                ? t("import.sending", { name: step.file.name })
                : step.dryRun
                  ? t("import.checking", { name: step.file.name })
                  : t("import.writing", { name: step.file.name })}
            </Typography.Paragraph>
          </div>
        )}
        {step.kind === "report" && <ImportFindings file={step.file} report={step.report} />}
        {step.kind === "done" && (
          <Alert
            type="success"
            showIcon
            role="status"
            message={t("import.done", { count: step.report.created })}
            description={step.report.skipped > 0 ? t("import.skipped", { count: step.report.skipped }) : undefined}
          />
        )}
      </Modal>
    </>
  );
}

function ImportFooter(props: { step: Step; onCommit: (file: ImportFile) => void; onAgain: () => void; onClose: () => void }) {
  const { t } = useTranslation("modules");
  const { step } = props;
  if (step.kind === "report") {
    const ready = step.report.dry_run && step.report.error_count === 0 && step.report.created > 0;
    return (
      <Space>
        <Button onClick={props.onAgain}>{t("import.again")}</Button>
        <Button type="primary" disabled={!ready} onClick={() => props.onCommit(step.file)}>
          {t("import.commit", { count: step.report.created })}
        </Button>
      </Space>
    );
  }
  return <Button onClick={props.onClose}>{step.kind === "done" ? t("import.close") : t("import.cancel")}</Button>;
}

/** A dry run's (or a refused commit's) findings: what would happen, and every problem by line. */
function ImportFindings({ file, report }: { file: ImportFile; report: ImportReport }) {
  const { t } = useTranslation("modules");
  const problems = [
    ...report.errors.map((p) => ({ ...p, severity: "error" as const })),
    ...report.warnings.map((p) => ({ ...p, severity: "warning" as const })),
  ];
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {report.error_count > 0 ? (
        <Alert type="error" showIcon message={t("import.hasErrors", { count: report.error_count })} description={t("import.fixAndRetry")} />
      ) : report.created === 0 ? (
        <Alert type="warning" showIcon message={t("import.nothingToImport")} />
      ) : (
        <Alert type="info" showIcon message={t("import.ready", { count: report.created })} />
      )}
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 3 }}
        items={[
          { key: "file", label: t("import.file"), children: file.name },
          { key: "rows", label: t("import.rows"), children: report.rows },
          { key: "skipped", label: t("import.duplicates"), children: report.skipped },
        ]}
      />
      <Typography.Text strong>{t("import.columns")}</Typography.Text>
      <Space wrap>
        {report.columns.map((c) => (
          <Tag key={c.column} color={c.field ? "blue" : "default"}>
            {c.field ? t("import.columnFills", { column: c.column, field: c.field }) : t("import.columnSkipped", { column: c.column })}
          </Tag>
        ))}
      </Space>
      {problems.length > 0 && (
        <Table
          size="small"
          rowKey={(p) => `${p.severity}:${p.line}:${p.column ?? ""}:${p.message}`}
          dataSource={problems}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t("import.line"), dataIndex: "line", width: 80 },
            {
              title: t("import.severity"),
              key: "severity",
              width: 110,
              render: (_, p) => <Tag color={p.severity === "error" ? "red" : "gold"}>{t(`import.${p.severity}`)}</Tag>,
            },
            { title: t("import.column"), key: "column", render: (_, p) => p.column ?? p.field ?? "—" },
            { title: t("import.problem"), dataIndex: "message" },
          ]}
        />
      )}
      {report.error_count > report.errors.length && (
        <Typography.Text type="secondary">{t("import.moreErrors", { shown: report.errors.length, count: report.error_count })}</Typography.Text>
      )}
    </Space>
  );
}
