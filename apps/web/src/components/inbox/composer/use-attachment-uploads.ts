"use client";

// The files attached to the message being written: each uploads as soon as it
// is added (button, paste or drop) and is sent as an attachment id once done.
import { useCallback, useEffect, useRef, useState } from "react";
import { randomId } from "@/lib/ids";
import {
  ATTACHMENT_MAX_BYTES,
  ATTACHMENTS_PER_MESSAGE,
  type UploadedAttachment,
  uploadFile,
} from "./upload-file";

export type PendingAttachment = {
  key: string;
  filename: string;
  size: number;
  /** 0..1 while uploading. */
  progress: number;
  status: "uploading" | "done" | "failed";
  error?: string;
  uploaded?: UploadedAttachment;
};

export function useAttachmentUploads() {
  const [items, setItems] = useState<PendingAttachment[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const controllers = useRef(new Map<string, AbortController>());

  const update = useCallback((key: string, change: Partial<PendingAttachment>) => {
    setItems((list) => list.map((a) => (a.key === key ? { ...a, ...change } : a)));
  }, []);

  // Leaving the conversation stops its uploads.
  useEffect(() => {
    const running = controllers.current;
    return () => {
      for (const controller of running.values()) controller.abort();
    };
  }, []);

  const add = useCallback(
    (files: Iterable<File>) => {
      const list = [...files];
      const room = ATTACHMENTS_PER_MESSAGE - items.length;
      setNotice(
        list.length > room
          ? `A message can carry at most ${ATTACHMENTS_PER_MESSAGE} files`
          : list.some((f) => f.size > ATTACHMENT_MAX_BYTES)
            ? "Files larger than 10 MB cannot be attached"
            : null,
      );
      for (const file of list.slice(0, Math.max(room, 0))) {
        if (file.size > ATTACHMENT_MAX_BYTES) continue;
        const key = randomId();
        const controller = new AbortController();
        controllers.current.set(key, controller);
        setItems((current) => [
          ...current,
          { key, filename: file.name, size: file.size, progress: 0, status: "uploading" },
        ]);
        uploadFile(file, {
          signal: controller.signal,
          onProgress: (progress) => update(key, { progress }),
        })
          .then((uploaded) => update(key, { status: "done", progress: 1, uploaded }))
          .catch((error: Error) => {
            if (error.name !== "AbortError") {
              update(key, { status: "failed", error: error.message });
            }
          })
          .finally(() => controllers.current.delete(key));
      }
    },
    [items.length, update],
  );

  const remove = useCallback((key: string) => {
    controllers.current.get(key)?.abort();
    setItems((list) => list.filter((a) => a.key !== key));
  }, []);

  return {
    items,
    notice,
    add,
    remove,
    uploading: items.some((a) => a.status === "uploading"),
    /** The ids to send with the message: the finished uploads. */
    ids: items.flatMap((a) => (a.uploaded ? [a.uploaded.id] : [])),
    /** After a send: the files went with the message. */
    clear: () => {
      setItems([]);
      setNotice(null);
    },
  };
}
