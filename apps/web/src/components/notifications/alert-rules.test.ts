import { describe, expect, it } from "vitest";
import { alertForCustomerMessage, alertForMention, type Preferences, preview } from "./alert-rules";

const ALL_ON: Preferences = {
  newConversation: true,
  assignedMessage: true,
  mention: true,
  sound: true,
  desktop: true,
  emailNewConversation: true,
  emailAssignedMessage: true,
  emailMention: true,
  emailHandoff: true,
  emailDelivery: "immediate",
};
const ME = "user-me";
const message = {
  conversationId: "c1",
  body: "Hello,\n  my order   is late",
  startsConversation: false,
  assigneeId: ME,
  customerName: "Ada",
};

describe("alerts for customer messages", () => {
  it("a new conversation alerts everyone who wants it, whoever it is assigned to", () => {
    const alert = alertForCustomerMessage(
      { ...message, startsConversation: true, assigneeId: null },
      ME,
      ALL_ON,
    );
    expect(alert).toEqual({
      kind: "newConversation",
      conversationId: "c1",
      tag: "conversation:c1",
      title: "New conversation from Ada",
      body: "Hello, my order is late",
    });
    expect(
      alertForCustomerMessage({ ...message, startsConversation: true }, ME, {
        ...ALL_ON,
        newConversation: false,
      }),
    ).toBeNull();
  });

  it("a later message alerts only the assignee, if they want it", () => {
    expect(alertForCustomerMessage(message, ME, ALL_ON)).toMatchObject({
      kind: "assignedMessage",
      title: "Ada wrote",
    });
    expect(alertForCustomerMessage({ ...message, assigneeId: "someone" }, ME, ALL_ON)).toBeNull();
    expect(alertForCustomerMessage({ ...message, assigneeId: null }, ME, ALL_ON)).toBeNull();
    expect(alertForCustomerMessage(message, ME, { ...ALL_ON, assignedMessage: false })).toBeNull();
  });
});

describe("alerts for mentions", () => {
  const mention = { conversationId: "c1", userId: ME, authorName: "Grace", body: "@Me look" };

  it("alert the agent mentioned, if they want it", () => {
    expect(alertForMention(mention, ME, ALL_ON)).toEqual({
      kind: "mention",
      conversationId: "c1",
      tag: "mention:c1",
      title: "Grace mentioned you",
      body: "@Me look",
    });
    expect(alertForMention({ ...mention, body: null }, ME, ALL_ON)?.body).toBe(
      "Open the conversation to read it.",
    );
  });

  it("never alert another agent, nor one who turned mentions off", () => {
    expect(alertForMention({ ...mention, userId: "other" }, ME, ALL_ON)).toBeNull();
    expect(alertForMention(mention, ME, { ...ALL_ON, mention: false })).toBeNull();
  });
});

it("previews a long message on one line, cut with an ellipsis", () => {
  const long = preview(`${"word ".repeat(100)}`);
  expect(long).toHaveLength(140);
  expect(long.endsWith("…")).toBe(true);
  expect(preview("a\n\nb")).toBe("a b");
});
