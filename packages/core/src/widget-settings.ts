// The widget options an admin stores per inbox. The widget merges the props a
// host page passes over these; unknown keys are rejected so typos surface.
import { z } from "zod";
import { ZText, ZUrl } from "./input";
import { WIDGET_DEFAULTS } from "./widget-defaults";

const text = (max: number) => ZText.trim().max(max);

const settingsShape = {
  title: text(100),
  subtitle: text(200),
  primaryColor: ZText.regex(/^#[0-9a-fA-F]{6}$/, "must be a hex colour like #1890ff"),
  greeting: text(1000),
  awayMessage: text(1000),
  newMessagePlaceholder: text(100),
  emailInputPlaceholder: text(100),
  newMessagesNotificationText: text(100),
  showAgentAvailability: z.boolean(),
  agentAvailableText: text(100),
  agentUnavailableText: text(100),
  requireEmailUpfront: z.boolean(),
  hideOutsideWorkingHours: z.boolean(),
  popUpInitialMessage: z.union([z.boolean(), z.number().int().min(0).max(600_000)]),
  iconVariant: z.enum(["outlined", "filled"]),
  position: z.enum(["left", "right"]),
  customIconUrl: ZUrl.max(2000),
  isBrandingHidden: z.boolean(),
  allowedOrigins: z.array(ZUrl.max(300)).max(50),
};

export const ZWidgetSettings = z.object(settingsShape).partial().strict();

/** An update: a value sets an option, null clears it (back to the widget's default). */
export const ZWidgetSettingsPatch = z
  .object(
    Object.fromEntries(
      Object.entries(settingsShape).map(([key, schema]) => [key, schema.nullable().optional()]),
    ) as {
      [K in keyof typeof settingsShape]: z.ZodOptional<z.ZodNullable<(typeof settingsShape)[K]>>;
    },
  )
  .strict();

export type WidgetSettingsPatch = z.infer<typeof ZWidgetSettingsPatch>;

export type WidgetSettings = z.infer<typeof ZWidgetSettings>;

/** What a new inbox starts with: the widget's defaults for what an admin most often edits. */
export const defaultWidgetSettings: WidgetSettings = {
  title: WIDGET_DEFAULTS.title,
  subtitle: WIDGET_DEFAULTS.subtitle,
  primaryColor: WIDGET_DEFAULTS.primaryColor,
  greeting: WIDGET_DEFAULTS.greeting,
  newMessagePlaceholder: WIDGET_DEFAULTS.newMessagePlaceholder,
  showAgentAvailability: WIDGET_DEFAULTS.showAgentAvailability,
  requireEmailUpfront: WIDGET_DEFAULTS.requireEmailUpfront,
  position: WIDGET_DEFAULTS.position,
  iconVariant: WIDGET_DEFAULTS.iconVariant,
};
