// The messages of a conversation as an email shows them: who wrote, when, and
// what. Shared by the customer reply email and the transcript.
import { Section, Text } from "@react-email/components";
import { paragraph } from "./layout";

export type EmailLine = {
  /** "You", an agent's name, the assistant's name. */
  author: string;
  body: string;
  /** Written by the reader (the customer): set apart from the team's lines. */
  mine: boolean;
  /** ISO time. */
  at: string;
};

const meta = { color: "#6b7280", fontSize: "12px", lineHeight: "16px", margin: "0 0 2px" };

function formatTime(iso: string): string {
  return `${new Date(iso).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function ConversationLines({ lines }: { lines: EmailLine[] }) {
  return (
    <Section>
      {lines.map((line, index) => (
        <Section
          key={index}
          style={{
            borderLeft: `3px solid ${line.mine ? "#d1d5db" : "#2563eb"}`,
            margin: "0 0 12px",
            paddingLeft: "10px",
          }}
        >
          <Text style={meta}>
            {line.author} · {formatTime(line.at)}
          </Text>
          <Text style={{ ...paragraph, margin: 0, whiteSpace: "pre-wrap" }}>{line.body}</Text>
        </Section>
      ))}
    </Section>
  );
}
