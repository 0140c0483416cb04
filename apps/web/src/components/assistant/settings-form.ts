// The AI assistant settings form: what the admin edits (strings and booleans,
// as the inputs hold them), checked with the limits of the server's schema
// (core/assistant-settings.ts ZAssistantSettings) before saving, turned into
// the stored settings, and the server's field errors mapped back onto fields.

import type { RouterInputs, RouterOutputs } from "@/lib/trpc";
import { serverFieldErrors } from "../settings/server-field-errors";

export type AssistantSettings = RouterOutputs["assistant"]["getSettings"];
export type AssistantSettingsInput = RouterInputs["assistant"]["updateSettings"];

export type FaqRow = { key: string; question: string; answer: string };

export type AssistantForm = {
  enabled: boolean;
  botName: string;
  businessName: string;
  description: string;
  services: string;
  faqs: FaqRow[];
  schedulingUrl: string;
  instructions: string;
  model: string;
  temperature: string;
  /** One keyword or phrase per line. */
  keywords: string;
  /** Empty: never. */
  afterBotReplies: string;
  outsideHoursCollectEmail: boolean;
};

/** Errors by field; FAQ errors are keyed `faqs.<index>.question|answer`. */
export type FieldErrors = Partial<Record<keyof AssistantForm | "form", string>> &
  Record<string, string | undefined>;

/** The server's limits (ZAssistantSettings), so the form says so before a round trip. */
export const LIMITS = {
  botName: 60,
  businessName: 200,
  description: 4000,
  services: 4000,
  instructions: 4000,
  schedulingUrl: 2000,
  model: 100,
  faqs: 100,
  question: 500,
  answer: 4000,
  keywords: 50,
  keyword: 100,
  afterBotRepliesMax: 50,
} as const;

let faqKey = 0;
export const newFaq = (question = "", answer = ""): FaqRow => ({
  key: `faq-${faqKey++}`,
  question,
  answer,
});

export function formFromSettings(s: AssistantSettings): AssistantForm {
  return {
    enabled: s.enabled,
    botName: s.botName,
    businessName: s.businessName ?? "",
    description: s.description ?? "",
    services: s.services ?? "",
    faqs: s.faqs.map((f) => newFaq(f.question, f.answer)),
    schedulingUrl: s.schedulingUrl ?? "",
    instructions: s.instructions ?? "",
    model: s.model ?? "",
    temperature: s.temperature === null ? "" : String(s.temperature),
    keywords: s.handoffRules.keywords.join("\n"),
    afterBotReplies:
      s.handoffRules.afterBotReplies === null ? "" : String(s.handoffRules.afterBotReplies),
    outsideHoursCollectEmail: s.handoffRules.outsideHoursCollectEmail,
  };
}

/** Form contents compared for "unsaved changes" (FAQ row keys do not count). */
export function sameForm(a: AssistantForm, b: AssistantForm): boolean {
  const plain = (f: AssistantForm) =>
    JSON.stringify({ ...f, faqs: f.faqs.map(({ question, answer }) => [question, answer]) });
  return plain(a) === plain(b);
}

const orNull = (text: string) => (text.trim() === "" ? null : text.trim());

export function keywordLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

export function settingsFromForm(form: AssistantForm): AssistantSettingsInput {
  return {
    enabled: form.enabled,
    botName: form.botName.trim(),
    businessName: orNull(form.businessName),
    description: orNull(form.description),
    services: orNull(form.services),
    faqs: form.faqs
      .filter((f) => f.question.trim() || f.answer.trim())
      .map((f) => ({ question: f.question.trim(), answer: f.answer.trim() })),
    schedulingUrl: orNull(form.schedulingUrl),
    instructions: orNull(form.instructions),
    model: orNull(form.model),
    temperature: form.temperature.trim() === "" ? null : Number(form.temperature),
    handoffRules: {
      keywords: keywordLines(form.keywords),
      afterBotReplies: form.afterBotReplies.trim() === "" ? null : Number(form.afterBotReplies),
      outsideHoursCollectEmail: form.outsideHoursCollectEmail,
    },
  };
}

function tooLong(value: string, max: number): string | undefined {
  return value.trim().length > max ? `Use at most ${max} characters.` : undefined;
}

/** The server's rules, checked as the admin saves. */
export function validateForm(form: AssistantForm): FieldErrors {
  const errors: FieldErrors = {};
  if (!form.botName.trim()) errors.botName = "Give the assistant a name.";
  errors.botName ??= tooLong(form.botName, LIMITS.botName);
  for (const key of ["businessName", "description", "services", "instructions", "model"] as const) {
    errors[key] = tooLong(form[key], LIMITS[key]);
  }
  const url = form.schedulingUrl.trim();
  if (url && !/^https?:\/\/[^\s/]+\.[^\s]*$/i.test(url) && !/^https?:\/\/localhost/i.test(url)) {
    errors.schedulingUrl = "Enter a full link starting with https://.";
  }
  errors.schedulingUrl ??= tooLong(url, LIMITS.schedulingUrl);
  const temperature = form.temperature.trim();
  if (temperature !== "") {
    const t = Number(temperature);
    if (!Number.isFinite(t) || t < 0 || t > 2) errors.temperature = "Enter a number from 0 to 2.";
  }
  const after = form.afterBotReplies.trim();
  if (after !== "") {
    const n = Number(after);
    if (!Number.isInteger(n) || n < 1 || n > LIMITS.afterBotRepliesMax) {
      errors.afterBotReplies = `Enter a whole number from 1 to ${LIMITS.afterBotRepliesMax}, or leave it empty.`;
    }
  }
  const keywords = keywordLines(form.keywords);
  if (keywords.length > LIMITS.keywords) {
    errors.keywords = `Use at most ${LIMITS.keywords} keywords.`;
  } else {
    const long = keywords.findIndex((k) => k.length > LIMITS.keyword);
    if (long >= 0) errors.keywords = `Line ${long + 1}: use at most ${LIMITS.keyword} characters.`;
  }
  if (form.faqs.length > LIMITS.faqs) errors.faqs = `Keep at most ${LIMITS.faqs} questions.`;
  form.faqs.forEach((f, i) => {
    if (!f.question.trim() && !f.answer.trim()) return;
    if (!f.question.trim()) errors[`faqs.${i}.question`] = "Write the question, or remove the row.";
    if (!f.answer.trim()) errors[`faqs.${i}.answer`] = "Write the answer, or remove the row.";
    errors[`faqs.${i}.question`] ??= tooLong(f.question, LIMITS.question);
    errors[`faqs.${i}.answer`] ??= tooLong(f.answer, LIMITS.answer);
  });
  for (const key of Object.keys(errors)) if (!errors[key]) delete errors[key];
  return errors;
}

const HANDOFF_FIELDS: Record<string, keyof AssistantForm> = {
  keywords: "keywords",
  afterBotReplies: "afterBotReplies",
  outsideHoursCollectEmail: "outsideHoursCollectEmail",
};

/** The server's validation errors (`data.fieldErrors`, keyed by input path) by form field. */
export function fieldErrorsFrom(error: unknown, form: AssistantForm): FieldErrors {
  const errors: FieldErrors = {};
  for (const [path, text] of Object.entries(serverFieldErrors(error))) {
    const [top, second, third] = path.split(".");
    if (top === "faqs" && second !== undefined && third) {
      // The server numbers the FAQs it was sent: the rows that were not empty.
      const filled = form.faqs
        .map((f, i) => (f.question.trim() || f.answer.trim() ? i : -1))
        .filter((i) => i >= 0);
      const row = filled[Number(second)];
      errors[row === undefined ? "faqs" : `faqs.${row}.${third}`] ??= text;
    } else if (top === "handoffRules" && second && HANDOFF_FIELDS[second]) {
      errors[HANDOFF_FIELDS[second]] ??= text;
    } else if (top && top in form) {
      errors[top] ??= text;
    } else {
      errors.form ??= text;
    }
  }
  return errors;
}
