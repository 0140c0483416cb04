// The frame every Netia email shares: the account's name at the top, the
// content, and a footer that says why the reader got it (with the unsubscribe
// link when there is one). Plain, light styles that email clients keep.
import {
  Body,
  Container,
  Head,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { ReactNode } from "react";

export type LayoutProps = {
  /** Shown in the inbox list next to the subject. */
  preview: string;
  /** Who the email is from, e.g. the account's company name. */
  brand: string;
  children: ReactNode;
  /** Why the reader gets this email ("You are on the Acme team in Netia."). */
  reason?: string;
  unsubscribeUrl?: string;
};

const body = {
  backgroundColor: "#f6f7f9",
  fontFamily: "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
  margin: 0,
  padding: "24px 0",
};
const container = {
  backgroundColor: "#ffffff",
  border: "1px solid #e4e6eb",
  borderRadius: "8px",
  maxWidth: "560px",
  padding: "24px 32px",
};
const brandStyle = { color: "#111827", fontSize: "16px", fontWeight: 600, margin: "0 0 16px" };
const footer = { color: "#6b7280", fontSize: "12px", lineHeight: "18px", margin: "0" };

export function Layout({ preview, brand, children, reason, unsubscribeUrl }: LayoutProps) {
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={body}>
        <Container style={container}>
          <Text style={brandStyle}>{brand}</Text>
          <Section>{children}</Section>
          {reason || unsubscribeUrl ? (
            <>
              <Hr style={{ borderColor: "#e4e6eb", margin: "24px 0 12px" }} />
              <Text style={footer}>
                {reason}
                {reason && unsubscribeUrl ? " " : null}
                {unsubscribeUrl ? <Link href={unsubscribeUrl}>Unsubscribe</Link> : null}
              </Text>
            </>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

/** Paragraph and button styles the templates share. */
export const paragraph = {
  color: "#1f2937",
  fontSize: "14px",
  lineHeight: "22px",
  margin: "0 0 12px",
};
export const button = {
  backgroundColor: "#2563eb",
  borderRadius: "6px",
  color: "#ffffff",
  display: "inline-block",
  fontSize: "14px",
  fontWeight: 600,
  padding: "10px 18px",
  textDecoration: "none",
};
