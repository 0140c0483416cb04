import { Button, Text } from "@react-email/components";
import { renderEmail } from "../render";
import { button, Layout, paragraph } from "./layout";

export type PasswordResetEmailProps = {
  /** The account the login belongs to, shown at the top. */
  companyName: string;
  resetUrl: string;
  expiresInMinutes: number;
};

export function PasswordResetEmail(props: PasswordResetEmailProps) {
  return (
    <Layout
      preview="Choose a new password for your Netia login"
      brand={props.companyName}
      reason="You got this email because someone asked to change the password of this Netia login. If it was not you, ignore it: your password stays as it is."
    >
      <Text style={paragraph}>
        Someone (we hope you) asked to change the password you use to sign in to Netia.
      </Text>
      <Button href={props.resetUrl} style={button}>
        Choose a new password
      </Button>
      <Text style={paragraph}>
        Or open this link: {props.resetUrl}. It works once, for {props.expiresInMinutes} minutes.
      </Text>
    </Layout>
  );
}

export function passwordResetEmail(props: PasswordResetEmailProps) {
  return renderEmail("Choose a new Netia password", <PasswordResetEmail {...props} />);
}
