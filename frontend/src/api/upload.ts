import i18n from "../i18n";
import { ApiError, csrfToken, type Problem } from "./client";

/** What came back from a POST sent with upload progress: the status and the parsed JSON. */
export interface Sent {
  status: number;
  body: unknown;
}

/**
 * POSTs ``body`` to ``endpoint`` with the session, its CSRF token and the app's language,
 * telling ``onSent`` the share of the request uploaded so far (XMLHttpRequest: fetch reports
 * no upload progress). Answers whatever status came back; rejects only when nothing did.
 */
export function postWithProgress(
  endpoint: string,
  body: XMLHttpRequestBodyInit,
  onSent: (share: number) => void,
  { signal, contentType }: { signal?: AbortSignal; contentType?: string } = {},
): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", endpoint);
    xhr.withCredentials = true;
    if (contentType) xhr.setRequestHeader("Content-Type", contentType);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("Accept-Language", i18n.language);
    const token = csrfToken();
    if (token) xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onSent(event.loaded / event.total);
    };
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, detail: i18n.t("modules:upload.offline") }));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort());
    xhr.send(body);
  });
}

/** A stored file as an upload endpoint answers it (the plugin guide's file fields). */
export interface UploadedFile {
  id: string;
  filename: string;
  size?: number;
}

/** Sends one file as the multipart part ``file``; its stored form, or the problem as an ApiError. */
export async function uploadFile(
  endpoint: string,
  file: File,
  onSent: (share: number) => void,
  signal?: AbortSignal,
): Promise<UploadedFile> {
  const form = new FormData();
  form.append("file", file, file.name);
  const sent = await postWithProgress(endpoint, form, onSent, { signal });
  if (sent.status >= 200 && sent.status < 300) return sent.body as UploadedFile;
  throw new ApiError({ status: sent.status, ...((sent.body as object | undefined) ?? {}) } as Problem);
}
