// The chat widget settings form: what the admin edits (strings and booleans,
// as the inputs hold them), turned into the inbox's stored settings and into
// the options of the live preview, and the server's validation errors mapped
// back onto the fields.
import { WIDGET_DEFAULTS } from "@netia/core/widget-defaults";
import type { RouterInputs, RouterOutputs } from "@/lib/trpc";
import { serverFieldErrors } from "./server-field-errors";

export type WidgetSettings = RouterOutputs["inboxes"]["getWidgetSettings"];
export type WidgetSettingsInput = RouterInputs["inboxes"]["updateWidgetSettings"]["settings"];

export const TEXT_FIELDS = [
  "title",
  "subtitle",
  "greeting",
  "awayMessage",
  "newMessagePlaceholder",
  "emailInputPlaceholder",
  "newMessagesNotificationText",
  "agentAvailableText",
  "agentUnavailableText",
] as const;

type TextField = (typeof TEXT_FIELDS)[number];

export type WidgetForm = Record<TextField, string> & {
  primaryColor: string;
  showAgentAvailability: boolean;
  requireEmailUpfront: boolean;
  hideOutsideWorkingHours: boolean;
  /** Pop the greeting up next to the launcher… */
  popUp: boolean;
  /** …after this many seconds (empty or 0: at once). */
  popUpDelaySeconds: string;
  position: "left" | "right";
  iconVariant: "outlined" | "filled";
  customIconUrl: string;
  isBrandingHidden: boolean;
  /** One URL per line. */
  allowedOrigins: string;
};

/** The field an error belongs to: a form field, or "form" for the rest. */
export type FieldErrors = Partial<Record<keyof WidgetForm | "form", string>>;

const HEX = /^#[0-9a-fA-F]{6}$/;

function texts(source: Partial<Record<TextField, string>>): Record<TextField, string> {
  return Object.fromEntries(TEXT_FIELDS.map((key) => [key, (source[key] ?? "").trim()])) as Record<
    TextField,
    string
  >;
}

export function formFromSettings(settings: WidgetSettings): WidgetForm {
  const popUp = settings.popUpInitialMessage ?? false;
  return {
    ...texts(settings),
    primaryColor: settings.primaryColor ?? WIDGET_DEFAULTS.primaryColor,
    showAgentAvailability: settings.showAgentAvailability ?? false,
    requireEmailUpfront: settings.requireEmailUpfront ?? false,
    hideOutsideWorkingHours: settings.hideOutsideWorkingHours ?? false,
    popUp: popUp !== false,
    popUpDelaySeconds: typeof popUp === "number" && popUp > 0 ? String(popUp / 1000) : "",
    position: settings.position ?? "right",
    iconVariant: settings.iconVariant ?? "outlined",
    customIconUrl: settings.customIconUrl ?? "",
    isBrandingHidden: settings.isBrandingHidden ?? false,
    allowedOrigins: (settings.allowedOrigins ?? []).join("\n"),
  };
}

/** "#ABC123", "abc123" → "#abc123"; anything else unchanged (the server says what is wrong). */
export function normalizeColor(value: string): string {
  const v = value.trim();
  const hex = v.startsWith("#") ? v : `#${v}`;
  return HEX.test(hex) ? hex.toLowerCase() : v;
}

/** The pop-up setting: false, true (at once) or a delay in ms; null when the delay is not a number. */
function popUpValue(form: WidgetForm): boolean | number | null {
  if (!form.popUp) return false;
  const raw = form.popUpDelaySeconds.trim();
  if (raw === "") return true;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 600) return null;
  const ms = Math.round(seconds * 1000);
  return ms === 0 ? true : ms;
}

export function originLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Problems the server would report less clearly; checked before saving. */
export function validateForm(form: WidgetForm): FieldErrors {
  const errors: FieldErrors = {};
  if (form.popUp && popUpValue(form) === null) {
    errors.popUpDelaySeconds = "Enter a number of seconds from 0 to 600.";
  }
  return errors;
}

/** What the stored settings and the preview both take from the form as it is. */
function appearance(form: WidgetForm) {
  return {
    ...texts(form),
    primaryColor: normalizeColor(form.primaryColor),
    showAgentAvailability: form.showAgentAvailability,
    requireEmailUpfront: form.requireEmailUpfront,
    hideOutsideWorkingHours: form.hideOutsideWorkingHours,
    popUpInitialMessage: popUpValue(form) ?? false,
    position: form.position,
    iconVariant: form.iconVariant,
    isBrandingHidden: form.isBrandingHidden,
  };
}

/** The settings to store. Text left empty falls back to the widget's default. */
export function settingsFromForm(form: WidgetForm): WidgetSettingsInput {
  const settings: WidgetSettingsInput = {
    ...appearance(form),
    allowedOrigins: originLines(form.allowedOrigins),
  };
  // The server takes a URL or nothing: an emptied field leaves the stored icon as it is.
  const icon = form.customIconUrl.trim();
  if (icon) settings.customIconUrl = icon;
  return settings;
}

/** The preview's options: the widget falls back to its defaults for empty or invalid values. */
export function previewOptions(form: WidgetForm) {
  const icon = form.customIconUrl.trim();
  return { ...appearance(form), customIconUrl: /^https?:\/\//i.test(icon) ? icon : "" };
}

const FORM_KEYS = new Set<string>([
  ...TEXT_FIELDS,
  "primaryColor",
  "showAgentAvailability",
  "requireEmailUpfront",
  "hideOutsideWorkingHours",
  "position",
  "iconVariant",
  "customIconUrl",
  "isBrandingHidden",
  "allowedOrigins",
]);

/**
 * The server's validation errors by field: `data.fieldErrors` is keyed by each
 * input field's dotted path ("settings.primaryColor", "settings.allowedOrigins.1").
 */
export function fieldErrorsFrom(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  for (const [path, text] of Object.entries(serverFieldErrors(error))) {
    const [top, key, index] = path.split(".");
    if (top === "settings" && key && FORM_KEYS.has(key)) {
      const field = key as keyof WidgetForm;
      const where =
        key === "allowedOrigins" && index !== undefined ? `Line ${Number(index) + 1}: ` : "";
      errors[field] ??= `${where}${text}`;
    } else if (top === "settings" && key === "popUpInitialMessage") {
      errors.popUpDelaySeconds ??= text;
    } else {
      errors.form ??= text;
    }
  }
  return errors;
}
