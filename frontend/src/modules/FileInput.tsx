import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from "@ant-design/icons";
import { Button, Progress, Space, Typography, Upload } from "antd";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { uploadFile } from "../api/upload";

type State =
  | { kind: "idle" }
  | { kind: "sending"; name: string; share: number }
  | { kind: "failed"; name: string; reason: string };

/**
 * A file field's input: the chosen file goes to the field's upload endpoint at once (with its
 * progress) and the field takes the stored file's id; what was attached before can be replaced
 * or removed. The record is saved with the form, as for any other field.
 */
export function FileInput(props: {
  endpoint: string;
  value?: string | null;
  onChange?: (value: string | null) => void;
  disabled?: boolean;
  "aria-label"?: string;
}) {
  const { t } = useTranslation("modules");
  const [state, setState] = useState<State>({ kind: "idle" });
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function send(file: File) {
    abort.current?.abort();
    abort.current = new AbortController();
    setState({ kind: "sending", name: file.name, share: 0 });
    try {
      const stored = await uploadFile(
        props.endpoint,
        file,
        (share) => setState({ kind: "sending", name: file.name, share }),
        abort.current.signal,
      );
      setChosen({ id: stored.id, name: stored.filename });
      setState({ kind: "idle" });
      props.onChange?.(stored.id);
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") return;
      setState({ kind: "failed", name: file.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  const label = props["aria-label"];
  const held = props.value ? (chosen?.id === props.value ? chosen.name : t("upload.attached")) : null;
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      {held && (
        <Space>
          <PaperClipOutlined aria-hidden />
          <Typography.Text>{held}</Typography.Text>
          {!props.disabled && (
            <Button
              size="small"
              type="text"
              icon={<DeleteOutlined aria-hidden />}
              aria-label={`${t("upload.remove")}: ${label ?? ""}`}
              onClick={() => props.onChange?.(null)}
            />
          )}
        </Space>
      )}
      <Upload
        showUploadList={false}
        disabled={props.disabled || state.kind === "sending"}
        beforeUpload={(file) => {
          void send(file);
          // The file goes by send(), not antd's own request.
          return false;
        }}
      >
        <Button icon={<UploadOutlined aria-hidden />} disabled={props.disabled} aria-label={label}>
          {held ? t("upload.replace") : t("upload.choose")}
        </Button>
      </Upload>
      {state.kind === "sending" && (
        <Progress percent={Math.round(state.share * 100)} size="small" aria-label={t("upload.sending", { name: state.name })} />
      )}
      {state.kind === "failed" && (
        <Typography.Text type="danger" role="alert">
          {t("upload.failed", { name: state.name, reason: state.reason })}
        </Typography.Text>
      )}
    </Space>
  );
}
