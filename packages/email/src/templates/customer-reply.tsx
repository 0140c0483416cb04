// To a customer who has not seen the team's reply in the chat: the
// conversation so far, and how to answer (reply to this email, or go back to
// the chat).
import { Text } from "@react-email/components";
import { renderEmail } from "../render";
import { ConversationLines, type EmailLine } from "./conversation-lines";
import { Layout, paragraph } from "./layout";

export type CustomerReplyEmailProps = {
  /** The account's sender name ("Acme Support"). */
  brand: string;
  customerName: string | null;
  /** Public messages only, oldest first. */
  lines: EmailLine[];
  /** Replying to the email reaches the conversation (a signed reply-to address is set). */
  canReplyByEmail: boolean;
  unsubscribeUrl: string;
};

export function CustomerReplyEmail(props: CustomerReplyEmailProps) {
  const greeting = props.customerName ? `Hi ${props.customerName},` : "Hi,";
  return (
    <Layout
      preview={`${props.brand} replied to your message`}
      brand={props.brand}
      reason={`You got this email because you wrote to ${props.brand} and have not seen their reply yet.`}
      unsubscribeUrl={props.unsubscribeUrl}
    >
      <Text style={paragraph}>{greeting}</Text>
      <Text style={paragraph}>
        {props.brand} answered you in the chat. Here is the conversation so far:
      </Text>
      <ConversationLines lines={props.lines} />
      <Text style={paragraph}>
        {props.canReplyByEmail
          ? "Reply to this email to answer; your reply goes straight into the conversation."
          : "Open the chat on our website to answer."}
      </Text>
    </Layout>
  );
}

export function customerReplyEmail(props: CustomerReplyEmailProps) {
  return renderEmail(`New reply from ${props.brand}`, <CustomerReplyEmail {...props} />);
}
