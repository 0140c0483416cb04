"use client";

import { UserRound, X } from "lucide-react";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { CustomerSidebar } from "./customer-sidebar";

/**
 * The customer sidebar in a sheet from the right, for screens too narrow to
 * show it beside the thread. A native modal <dialog>: focus moves into it and
 * back, Escape closes it, and the page behind is inert.
 */
export function CustomerSheet({
  customerId,
  conversationId,
  className,
}: {
  customerId: string;
  conversationId?: string;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  // Mounted only while open: the wide layout's sidebar is the one on the page otherwise.
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        variant="outline"
        size="sm"
        className={className}
        aria-haspopup="dialog"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
        data-testid="open-customer-sheet"
      >
        <UserRound aria-hidden />
        Customer
      </Button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard closes a modal dialog with Escape */}
      <dialog
        ref={dialog}
        aria-label="Customer"
        data-testid="customer-sheet"
        className="m-0 ml-auto h-dvh max-h-dvh w-[min(24rem,100vw)] max-w-none overflow-y-auto border-l bg-background text-foreground backdrop:bg-overlay"
        // A click on the backdrop lands on the dialog itself.
        onClick={(e) => {
          if (e.target === e.currentTarget) e.currentTarget.close();
        }}
        onClose={() => setOpen(false)}
      >
        <div className="sticky top-0 z-10 flex justify-end border-b bg-background p-2">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => dialog.current?.close()}
            data-testid="close-customer-sheet"
          >
            <X aria-hidden />
            Close
          </Button>
        </div>
        {open ? <CustomerSidebar customerId={customerId} conversationId={conversationId} /> : null}
      </dialog>
    </>
  );
}
