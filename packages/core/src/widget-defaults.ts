// What the chat widget shows for each setting an inbox leaves empty: the one
// place these defaults live. The widget bundles this module (it must work
// before the server answers), the server stores part of it in each new inbox,
// and the dashboard's widget form shows it as placeholders. It imports
// nothing, so the widget's browser bundle can take it as it is.

export const WIDGET_DEFAULTS = {
  title: "Welcome!",
  subtitle: "Ask us anything in the chat window below 😊",
  primaryColor: "#1890ff",
  greeting: "Hi there! How can I help you?",
  awayMessage: "",
  newMessagePlaceholder: "Start typing...",
  emailInputPlaceholder: "you@example.com",
  newMessagesNotificationText: "View new messages",
  showAgentAvailability: false,
  agentAvailableText: "We're online right now!",
  agentUnavailableText: "We're away at the moment.",
  requireEmailUpfront: false,
  hideOutsideWorkingHours: false,
  popUpInitialMessage: false as boolean | number,
  iconVariant: "outlined" as "outlined" | "filled",
  position: "right" as "left" | "right",
  customIconUrl: "",
  isBrandingHidden: false,
};

export type WidgetDefaults = typeof WIDGET_DEFAULTS;
