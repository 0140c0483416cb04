"use client";

import { X } from "lucide-react";
import { useId } from "react";
import { CopyButton } from "@/components/settings/code-block";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export type InvitationLink = { email: string; url: string; resent: boolean };

/** The link an invitee opens to join (also emailed to them), for the admin to copy and send. */
export function InvitationLinkNotice({
  link,
  onDismiss,
}: {
  link: InvitationLink;
  onDismiss: () => void;
}) {
  const id = useId();
  return (
    <div
      role="status"
      className="grid gap-3 rounded-xl border border-success/40 bg-success-soft p-4 text-success-foreground"
      data-testid="invitation-link"
    >
      <div className="flex items-start justify-between gap-4">
        <p className="text-sm">
          {link.resent ? "A new link for " : "Invitation for "}
          <strong>{link.email}</strong> is on its way by email. You can also send them this link: it
          works once, for 7 days{link.resent ? ", and the previous link no longer works" : ""}.
        </p>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          className="size-7 shrink-0 hover:bg-success/15"
          onClick={onDismiss}
          aria-label="Dismiss the invitation link"
        >
          <X aria-hidden />
        </Button>
      </div>
      <div className="flex gap-2">
        <label htmlFor={id} className="sr-only">
          Invitation link for {link.email}
        </label>
        <Input
          id={id}
          value={link.url}
          readOnly
          onFocus={(e) => e.currentTarget.select()}
          className="bg-background font-mono text-xs"
          data-testid="invitation-link-url"
        />
        <CopyButton text={link.url} label={`invitation link for ${link.email}`} />
      </div>
    </div>
  );
}
