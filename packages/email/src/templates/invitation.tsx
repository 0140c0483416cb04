import { Button, Text } from "@react-email/components";
import { renderEmail } from "../render";
import { button, Layout, paragraph } from "./layout";

export type InvitationEmailProps = {
  companyName: string;
  inviterName: string | null;
  role: "admin" | "agent";
  acceptUrl: string;
  expiresInDays: number;
};

export function InvitationEmail(props: InvitationEmailProps) {
  const who = props.inviterName ?? "Your team";
  return (
    <Layout
      preview={`${who} invited you to answer customers for ${props.companyName}`}
      brand={props.companyName}
      reason="You got this email because someone invited this address to their team in Netia. If you were not expecting it, ignore it."
    >
      <Text style={paragraph}>
        {who} invited you to join {props.companyName} on Netia as{" "}
        {props.role === "admin" ? "an admin" : "an agent"}.
      </Text>
      <Button href={props.acceptUrl} style={button}>
        Accept the invitation
      </Button>
      <Text style={paragraph}>
        Or open this link: {props.acceptUrl}. It works for {props.expiresInDays} days.
      </Text>
    </Layout>
  );
}

export function invitationEmail(props: InvitationEmailProps) {
  return renderEmail(`Join ${props.companyName} on Netia`, <InvitationEmail {...props} />);
}
