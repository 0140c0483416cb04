import { describe, expect, it } from "vitest";
import {
  fieldErrorsFrom,
  formFromSettings,
  normalizeColor,
  previewOptions,
  settingsFromForm,
  validateForm,
} from "./widget-form";

describe("widget settings form", () => {
  it("round-trips the stored settings", () => {
    const stored = {
      title: "Acme",
      subtitle: "",
      primaryColor: "#0f766e",
      greeting: "Hi **there**",
      showAgentAvailability: true,
      requireEmailUpfront: false,
      hideOutsideWorkingHours: true,
      popUpInitialMessage: 5_000,
      position: "left" as const,
      iconVariant: "filled" as const,
      customIconUrl: "https://acme.test/icon.png",
      isBrandingHidden: true,
      allowedOrigins: ["https://acme.test", "https://www.acme.test"],
    };
    const form = formFromSettings(stored);
    expect(form.popUp).toBe(true);
    expect(form.popUpDelaySeconds).toBe("5");
    expect(form.allowedOrigins).toBe("https://acme.test\nhttps://www.acme.test");
    expect(form.awayMessage).toBe("");
    expect(settingsFromForm(form)).toMatchObject(stored);
  });

  it("turns the inputs into settings", () => {
    const form = formFromSettings({});
    expect(form.primaryColor).toBe("#1890ff");
    expect(form.popUp).toBe(false);
    const settings = settingsFromForm({
      ...form,
      title: "  Support  ",
      primaryColor: "0F766E",
      popUp: true,
      popUpDelaySeconds: "0",
      allowedOrigins: " https://a.test \n\n  https://b.test\n",
    });
    expect(settings.title).toBe("Support");
    expect(settings.primaryColor).toBe("#0f766e");
    expect(settings.popUpInitialMessage).toBe(true);
    expect(settings.allowedOrigins).toEqual(["https://a.test", "https://b.test"]);
    // An empty icon URL is not sent: the server takes a URL or nothing.
    expect("customIconUrl" in settings).toBe(false);
    expect(settingsFromForm({ ...form, popUp: true, popUpDelaySeconds: "2.5" })).toMatchObject({
      popUpInitialMessage: 2_500,
    });
  });

  it("checks the delay and leaves colours it cannot fix to the server", () => {
    const form = formFromSettings({});
    expect(validateForm({ ...form, popUp: true, popUpDelaySeconds: "soon" })).toHaveProperty(
      "popUpDelaySeconds",
    );
    expect(validateForm({ ...form, popUp: false, popUpDelaySeconds: "soon" })).toEqual({});
    expect(normalizeColor("#12345")).toBe("#12345");
    expect(previewOptions({ ...form, customIconUrl: "javascript:alert(1)" }).customIconUrl).toBe(
      "",
    );
  });

  it("maps the server's validation errors onto the fields", () => {
    const error = {
      message: "settings.primaryColor: must be a hex colour like #1890ff",
      data: {
        code: "BAD_REQUEST",
        fieldErrors: {
          "settings.primaryColor": ["must be a hex colour like #1890ff"],
          "settings.allowedOrigins.1": ["Invalid URL"],
          inboxId: ["Required"],
        },
      },
    };
    expect(fieldErrorsFrom(error)).toEqual({
      primaryColor: "Must be a hex colour like #1890ff.",
      allowedOrigins: "Line 2: Invalid URL.",
      form: "Required.",
    });
    expect(fieldErrorsFrom({ message: "FORBIDDEN", data: {} })).toEqual({});
  });
});
