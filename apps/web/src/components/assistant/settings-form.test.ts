import { DEFAULT_ASSISTANT_SETTINGS, ZAssistantSettingsUpdate } from "@netia/core";
import { describe, expect, it } from "vitest";
import {
  fieldErrorsFrom,
  formFromSettings,
  newFaq,
  sameForm,
  settingsFromForm,
  validateForm,
} from "./settings-form";

const base = () => formFromSettings(DEFAULT_ASSISTANT_SETTINGS);

describe("assistant settings form", () => {
  it("turns a filled form into settings the server's schema accepts", () => {
    const form = {
      ...base(),
      enabled: true,
      botName: "  Ava ",
      businessName: "Acme Bikes",
      faqs: [newFaq("Do you ship abroad?", "Yes, to the EU."), newFaq("", "")],
      schedulingUrl: "https://cal.example.com/acme",
      model: "gpt-4o",
      temperature: "0.3",
      keywords: "refund\n\n  cancel my account  ",
      afterBotReplies: "4",
    };
    expect(validateForm(form)).toEqual({});
    const settings = settingsFromForm(form);
    expect(ZAssistantSettingsUpdate.safeParse(settings).success).toBe(true);
    expect(settings).toMatchObject({
      botName: "Ava",
      faqs: [{ question: "Do you ship abroad?", answer: "Yes, to the EU." }],
      temperature: 0.3,
      handoffRules: { keywords: ["refund", "cancel my account"], afterBotReplies: 4 },
      description: null,
    });
  });

  it("refuses what the server would refuse, field by field", () => {
    const errors = validateForm({
      ...base(),
      botName: " ",
      temperature: "3",
      afterBotReplies: "0",
      schedulingUrl: "cal.example.com",
      keywords: "x".repeat(101),
      faqs: [newFaq("A question without answer", "")],
    });
    expect(Object.keys(errors).sort()).toEqual(
      [
        "afterBotReplies",
        "botName",
        "faqs.0.answer",
        "keywords",
        "schedulingUrl",
        "temperature",
      ].sort(),
    );
    // Each of those is refused by the server's schema too.
    const invalid = settingsFromForm({ ...base(), temperature: "3", afterBotReplies: "0" });
    expect(ZAssistantSettingsUpdate.safeParse(invalid).success).toBe(false);
  });

  it("puts the server's errors on the fields, counting only the FAQ rows it was sent", () => {
    const form = { ...base(), faqs: [newFaq("", ""), newFaq("q", "a")] };
    const errors = fieldErrorsFrom(
      {
        data: {
          fieldErrors: {
            "faqs.0.answer": ["too long"],
            "handoffRules.keywords.2": ["too long"],
            botName: ["required"],
            other: ["odd"],
          },
        },
      },
      form,
    );
    expect(errors).toEqual({
      "faqs.1.answer": "Too long.",
      keywords: "Too long.",
      botName: "Required.",
      form: "Odd.",
    });
  });

  it("sees no change in a form round-tripped through the settings", () => {
    const form = { ...base(), faqs: [newFaq("q", "a")], temperature: "0.5" };
    const saved = formFromSettings({
      ...DEFAULT_ASSISTANT_SETTINGS,
      ...settingsFromForm(form),
    } as typeof DEFAULT_ASSISTANT_SETTINGS);
    expect(sameForm(form, saved)).toBe(true);
  });
});
