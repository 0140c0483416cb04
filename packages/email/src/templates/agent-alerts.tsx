// One email to an agent about everything that waited for them since their
// last one: a section per conversation, with why they are told (new
// conversation, assigned, mention, handoff) and the latest messages.
import { Button, Heading, Section, Text } from "@react-email/components";
import { renderEmail } from "../render";
import { button, Layout, paragraph } from "./layout";

export type AgentAlertKind = "new_conversation" | "assigned_message" | "mention" | "handoff";

export type AgentAlertSection = {
  conversationId: string;
  customerName: string;
  /** Why this conversation is in the email, in the order they happened. */
  kinds: AgentAlertKind[];
  /** The newest messages the alerts are about, oldest first. */
  previews: { author: string; body: string }[];
  /** Messages alerted about but left out (the email lists the newest). */
  earlier: number;
  url: string;
};

export type AgentAlertsEmailProps = {
  brand: string;
  agentName: string | null;
  sections: AgentAlertSection[];
  /** "hourly" when sent as the hourly digest. */
  delivery: "immediate" | "hourly";
  settingsUrl: string;
  unsubscribeUrl: string;
};

const KIND_TEXT: Record<AgentAlertKind, string> = {
  new_conversation: "New conversation",
  assigned_message: "New message in a conversation assigned to you",
  mention: "You were mentioned",
  handoff: "Handed to the team by the assistant",
};

const kindStyle = { color: "#6b7280", fontSize: "12px", margin: "0 0 4px" };
const headingStyle = { color: "#111827", fontSize: "15px", margin: "0 0 6px" };

export function AgentAlertsEmail(props: AgentAlertsEmailProps) {
  const count = props.sections.length;
  return (
    <Layout
      preview={`${count} conversation${count === 1 ? "" : "s"} need${count === 1 ? "s" : ""} you`}
      brand={props.brand}
      reason={`You got this email because of your notification settings in Netia (${props.settingsUrl}).`}
      unsubscribeUrl={props.unsubscribeUrl}
    >
      <Text style={paragraph}>
        {props.agentName ? `Hi ${props.agentName}, ` : ""}
        {props.delivery === "hourly" ? "here is your hourly digest." : "here is what needs you."}
      </Text>
      {props.sections.map((section) => (
        <Section key={section.conversationId} style={{ margin: "0 0 20px" }}>
          <Heading as="h2" style={headingStyle}>
            {section.customerName}
          </Heading>
          <Text style={kindStyle}>{section.kinds.map((k) => KIND_TEXT[k]).join(" · ")}</Text>
          {section.earlier > 0 ? (
            <Text style={kindStyle}>
              …and {section.earlier} earlier message{section.earlier === 1 ? "" : "s"}
            </Text>
          ) : null}
          {section.previews.map((preview, index) => (
            <Text key={index} style={{ ...paragraph, margin: "0 0 4px", whiteSpace: "pre-wrap" }}>
              <strong>{preview.author}:</strong> {preview.body}
            </Text>
          ))}
          <Button href={section.url} style={{ ...button, marginTop: "6px" }}>
            Open the conversation
          </Button>
        </Section>
      ))}
    </Layout>
  );
}

export function agentAlertsEmail(props: AgentAlertsEmailProps) {
  const [first] = props.sections;
  const subject =
    props.sections.length === 1 && first
      ? `${first.customerName}: ${KIND_TEXT[first.kinds[0] ?? "assigned_message"]}`
      : `${props.sections.length} conversations need you`;
  return renderEmail(subject, <AgentAlertsEmail {...props} />);
}
