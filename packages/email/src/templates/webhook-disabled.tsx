import { Button, Text } from "@react-email/components";
import { renderEmail } from "../render";
import { button, Layout, paragraph } from "./layout";

export type WebhookDisabledEmailProps = {
  companyName: string;
  url: string;
  reason: string;
  lastError: string | null;
  settingsUrl: string;
};

export function WebhookDisabledEmail(props: WebhookDisabledEmailProps) {
  return (
    <Layout
      preview={`A webhook of ${props.companyName} was switched off: ${props.url}`}
      brand={props.companyName}
      reason="You got this email because you are an admin of this team in Netia."
    >
      <Text style={paragraph}>
        Netia stopped sending events to {props.url}: {props.reason}.
      </Text>
      {props.lastError ? <Text style={paragraph}>The last attempt: {props.lastError}.</Text> : null}
      <Text style={paragraph}>
        Events that happen while it is off are not sent to it. Fix the receiver, then switch the
        endpoint on again; failed deliveries can be sent again from its delivery log.
      </Text>
      <Button href={props.settingsUrl} style={button}>
        Open the webhook settings
      </Button>
    </Layout>
  );
}

export function webhookDisabledEmail(props: WebhookDisabledEmailProps) {
  return renderEmail(`Webhook switched off: ${props.url}`, <WebhookDisabledEmail {...props} />);
}
