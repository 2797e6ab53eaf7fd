import { ApiError, type Problem } from "./client";

export interface DownloadProgress {
  bytes: number;
  /** Lines received so far (entries, plus the header line of a CSV). */
  lines: number;
}

/**
 * Read a streamed answer (an export) to the end, reporting progress as it arrives (the
 * server streams it, so there is no length to show a percentage of), and keep it as a file
 * named by the answer's Content-Disposition, else ``fallbackName``.
 */
export async function streamToBlob(
  url: string | URL,
  onProgress: (progress: DownloadProgress) => void,
  { signal, fallbackName = "export" }: { signal?: AbortSignal; fallbackName?: string } = {},
): Promise<{ blob: Blob; filename: string }> {
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
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const progress: DownloadProgress = { bytes: 0, lines: 0 };
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      progress.bytes += value.byteLength;
      for (const byte of value) if (byte === 10) progress.lines += 1;
      onProgress({ ...progress });
    }
  } else {
    const whole = new Uint8Array(await response.arrayBuffer());
    chunks.push(whole);
    onProgress({ bytes: whole.byteLength, lines: whole.filter((b) => b === 10).length });
  }
  const type = response.headers.get("Content-Type") ?? "application/octet-stream";
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  return { blob: new Blob(chunks, { type }), filename };
}

/** Hand a file to the browser's downloads. */
export function saveBlob(blob: Blob, filename: string): void {
  const href = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = href;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked after the click has been handled, not before the download starts.
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** A size in bytes as people read it ("1.5 MB"), with the reader's decimal separator. */
export function formatBytes(bytes: number, language: string): string {
  const units = ["B", "kB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}
