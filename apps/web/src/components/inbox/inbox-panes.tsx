"use client";

import { useSelectedLayoutSegment } from "next/navigation";
import { cn } from "@/lib/utils";

/**
 * The inbox's two panes: the list beside the open conversation on wide
 * screens; on phones one pane at a time, the list at /inbox and only the
 * thread at /inbox/<id> (its bar leads back to the list).
 */
export function InboxPanes({
  list,
  children,
}: {
  list: React.ReactNode;
  children: React.ReactNode;
}) {
  // The [id] segment: a conversation is open.
  const open = useSelectedLayoutSegment() !== null;
  return (
    <div className="flex min-h-0 min-w-0 flex-1 flex-col md:flex-row">
      <div className={cn("min-h-0 flex-1 md:flex md:flex-none", open ? "hidden" : "flex")}>
        {list}
      </div>
      {/* On a phone with nothing open, the page above the list holds only what
          it shows there (the getting-started checklist). */}
      <div
        className={cn(
          "min-w-0 md:flex md:min-h-0 md:flex-1",
          open ? "flex min-h-0 flex-1" : "order-first md:order-none",
        )}
      >
        {children}
      </div>
    </div>
  );
}
