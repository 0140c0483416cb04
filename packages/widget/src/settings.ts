// The settings the widget runs with: the host page's options over the inbox's
// settings on the server over the defaults. The defaults are the server's own
// (@netia/core/widget-defaults), bundled in, so the dashboard's form, a new
// inbox and the widget never disagree about them.
import { WIDGET_DEFAULTS } from "@netia/core/widget-defaults";
import type { ChatWidgetOptions, NetiaInboxSettings, ResolvedSettings } from "./options";

export const DEFAULT_SETTINGS: ResolvedSettings = { ...WIDGET_DEFAULTS };

const SETTING_KEYS = Object.keys(DEFAULT_SETTINGS) as (keyof ResolvedSettings)[];

/** Props over the server's inbox settings over the defaults; `undefined` never overrides. */
export function resolveSettings(
  options: Partial<ChatWidgetOptions>,
  server: NetiaInboxSettings | undefined,
): ResolvedSettings {
  const out = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
  for (const source of [server ?? {}, options] as Record<string, unknown>[]) {
    for (const key of SETTING_KEYS) {
      const value = source[key];
      if (value !== undefined && value !== null && value !== "") out[key] = value;
    }
  }
  const settings = out as ResolvedSettings;
  if (!/^#[0-9a-fA-F]{6}$/.test(settings.primaryColor)) {
    settings.primaryColor = DEFAULT_SETTINGS.primaryColor;
  }
  return settings;
}
