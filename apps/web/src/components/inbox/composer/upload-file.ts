// Uploads one file to /api/attachments as the signed-in agent (the session
// cookie), the way the widget does with its token: the raw body, its type,
// and the URI-encoded name in X-Netia-Filename. XMLHttpRequest rather than
// fetch, because only it reports upload progress.

export type UploadedAttachment = {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  url: string;
};

/** The server refuses larger files (413); checking first saves the upload. */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** The server links at most this many files to one message. */
export const ATTACHMENTS_PER_MESSAGE = 10;

export function uploadFile(
  file: File,
  {
    onProgress,
    signal,
  }: {
    /** 0..1 of the body sent. */
    onProgress: (fraction: number) => void;
    signal: AbortSignal;
  },
): Promise<UploadedAttachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/attachments");
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.setRequestHeader("x-netia-filename", encodeURIComponent(file.name));
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) {
        resolve(xhr.response as UploadedAttachment);
        return;
      }
      const body = xhr.response as { error?: { message?: string } } | null;
      reject(new Error(body?.error?.message ?? `The upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error("The upload failed: check your connection"));
    xhr.onabort = () => reject(new DOMException("The upload was cancelled", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
