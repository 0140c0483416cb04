// A copy of a conversation, sent on request (by an agent, or by the visitor
// from the widget).
import { Text } from "@react-email/components";
import { renderEmail } from "../render";
import { ConversationLines, type EmailLine } from "./conversation-lines";
import { Layout, paragraph } from "./layout";

export type TranscriptEmailProps = {
  brand: string;
  /** ISO time the conversation started. */
  startedAt: string;
  /** Public messages only, oldest first. */
  lines: EmailLine[];
};

export function TranscriptEmail(props: TranscriptEmailProps) {
  const day = props.startedAt.slice(0, 10);
  return (
    <Layout
      preview={`Your conversation with ${props.brand}`}
      brand={props.brand}
      reason={`You got this email because a copy of this conversation with ${props.brand} was requested for this address.`}
    >
      <Text style={paragraph}>
        Here is your conversation with {props.brand}, started on {day}.
      </Text>
      <ConversationLines lines={props.lines} />
    </Layout>
  );
}

export function transcriptEmail(props: TranscriptEmailProps) {
  return renderEmail(
    `Transcript of your conversation with ${props.brand}`,
    <TranscriptEmail {...props} />,
  );
}
