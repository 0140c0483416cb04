import { Badge } from "@/components/ui/badge";
import type { RouterOutputs } from "@/lib/trpc";

export type OutgoingEmail = RouterOutputs["email"]["outgoing"]["items"][number];
export type EmailStatus = OutgoingEmail["status"];

const LOOK: Record<
  EmailStatus,
  { label: string; variant: "outline" | "success" | "destructive" | "warning" }
> = {
  queued: { label: "Queued", variant: "outline" },
  sent: { label: "Sent", variant: "success" },
  failed: { label: "Failed", variant: "destructive" },
  skipped: { label: "Skipped", variant: "warning" },
};

export function EmailStatusBadge({ status }: { status: EmailStatus }) {
  const { label, variant } = LOOK[status];
  return (
    <Badge variant={variant} data-testid="email-status" data-status={status}>
      {label}
    </Badge>
  );
}

/** What an email's kind means to an admin. */
export function kindLabel(kind: string): string {
  switch (kind) {
    case "invitation":
      return "Invitation";
    case "password_reset":
      return "Password reset";
    case "agent_alert":
      return "Agent alert";
    case "customer_reply":
      return "Reply to a customer";
    case "conversation_reply":
      return "Conversation reply";
    case "transcript":
      return "Transcript";
    case "webhook_disabled":
      return "Webhook switched off";
    default:
      return kind;
  }
}

/** How the email left: SMTP, the log (no SMTP configured) or Gmail. */
export function transportLabel(transport: string | null): string {
  if (transport === "smtp") return "SMTP";
  if (transport === "log") return "Log (no SMTP)";
  if (transport === "gmail") return "Gmail";
  return "—";
}
