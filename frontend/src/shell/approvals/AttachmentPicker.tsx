import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Progress, Space, Typography, Upload } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { uploadFile, type UploadedFile } from "../../api/upload";
import { ATTACHMENT_UPLOAD } from "./api";

/** At most this many files on one decision (the API's limit). */
export const MAX_ATTACHMENTS = 10;

type Sending = { name: string; share: number };

/**
 * Files for a decision: each chosen file goes to the approval centre's upload at once (with
 * its progress) and is listed with a remove button; the decision names the stored files' ids.
 * Same pattern as the record forms' FileInput, for several files.
 */
export function AttachmentPicker({
  value,
  onChange,
  onBusy,
}: {
  value: UploadedFile[];
  onChange: (files: UploadedFile[]) => void;
  /** Told while files are still on their way, so the decision waits for them. */
  onBusy?: (busy: boolean) => void;
}) {
  const { t } = useTranslation("shell");
  const [sending, setSending] = useState<Map<string, Sending>>(new Map());
  const [failed, setFailed] = useState<string | null>(null);
  // The latest list, for uploads that finish after others changed it.
  const current = useRef(value);
  current.current = value;
  const aborts = useRef(new Set<AbortController>());
  useEffect(() => () => aborts.current.forEach((abort) => abort.abort()), []);
  useEffect(() => onBusy?.(sending.size > 0), [sending.size, onBusy]);

  function track(key: string, next: Sending | null) {
    setSending((before) => {
      const after = new Map(before);
      if (next) after.set(key, next);
      else after.delete(key);
      return after;
    });
  }

  async function send(file: File) {
    const key = `${file.name}-${Math.random()}`;
    const abort = new AbortController();
    aborts.current.add(abort);
    setFailed(null);
    track(key, { name: file.name, share: 0 });
    try {
      const stored = await uploadFile(ATTACHMENT_UPLOAD, file, (share) => track(key, { name: file.name, share }), abort.signal);
      onChange([...current.current, stored]);
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return;
      setFailed(t("approvals.attachFailed", { name: file.name, reason: error instanceof Error ? error.message : String(error) }));
    } finally {
      aborts.current.delete(abort);
      track(key, null);
    }
  }

  const full = value.length + sending.size >= MAX_ATTACHMENTS;
  return (
    <Space direction="vertical" size={4} className="attachment-picker" style={{ width: "100%" }}>
      {value.length > 0 && (
        <ul className="attachment-list" aria-label={t("approvals.attachments")}>
          {value.map((file) => (
            <li key={file.id}>
              <PaperClipOutlined aria-hidden /> <Typography.Text>{file.filename}</Typography.Text>
              <Button
                size="small"
                type="text"
                icon={<DeleteOutlined aria-hidden />}
                aria-label={t("approvals.removeAttachment", { name: file.filename })}
                onClick={() => onChange(current.current.filter((f) => f.id !== file.id))}
              />
            </li>
          ))}
        </ul>
      )}
      {[...sending.entries()].map(([key, state]) => (
        <Progress key={key} percent={Math.round(state.share * 100)} size="small" aria-label={t("approvals.sending", { name: state.name })} />
      ))}
      <Upload
        multiple
        showUploadList={false}
        disabled={full}
        beforeUpload={(file) => {
          void send(file);
          // The file goes by send(), not antd's own request.
          return false;
        }}
      >
        <Button size="small" icon={<UploadOutlined aria-hidden />} disabled={full}>
          {t("approvals.attach")}
        </Button>
      </Upload>
      {failed && (
        <Typography.Text type="danger" role="alert">
          {failed}
        </Typography.Text>
      )}
    </Space>
  );
}
