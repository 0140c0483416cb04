"use client";

import { Download, FileText } from "lucide-react";
import type { Message } from "../cache";

type Attachment = Message["attachments"][number];

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A message's attachments: images as thumbnails (a click opens the full size
 * in a new tab), other files as a chip with name, size and a download link.
 * Thumbnails have a fixed box, so a row's height is known before the image
 * loads and the virtualized thread does not shift when it does.
 */
export function Attachments({ items }: { items: Attachment[] }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-2" data-testid="message-attachments">
      {items.map((a) => (
        <li key={a.id} className="max-w-full">
          {a.contentType.startsWith("image/") ? (
            <ImageThumbnail attachment={a} />
          ) : (
            <FileChip attachment={a} />
          )}
        </li>
      ))}
    </ul>
  );
}

function ImageThumbnail({ attachment }: { attachment: Attachment }) {
  return (
    <a
      href={attachment.url}
      target="_blank"
      rel="noopener noreferrer"
      title={`Open ${attachment.filename} full size`}
      className="block rounded-md focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      data-testid="attachment-image"
    >
      <img
        src={attachment.url}
        alt={attachment.filename}
        loading="lazy"
        className="size-40 rounded-md border bg-muted object-cover"
      />
    </a>
  );
}

function FileChip({ attachment }: { attachment: Attachment }) {
  return (
    <a
      href={attachment.url}
      download={attachment.filename}
      className="flex max-w-64 items-center gap-2 rounded-md border bg-background px-2.5 py-1.5 text-foreground hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring focus-visible:outline-none"
      aria-label={`Download ${attachment.filename} (${formatSize(attachment.size)})`}
      data-testid="attachment-file"
    >
      <FileText className="size-4 shrink-0 text-muted-foreground" aria-hidden />
      <span className="min-w-0 flex-1">
        <span className="block truncate text-xs font-medium">{attachment.filename}</span>
        <span className="block text-[11px] text-muted-foreground">
          {formatSize(attachment.size)}
        </span>
      </span>
      <Download className="size-4 shrink-0 text-muted-foreground" aria-hidden />
    </a>
  );
}
