/**
 * The IANA time zones the browser knows, with `current` kept even when the
 * browser's list lacks it (Chromium's list has no "UTC", a common stored value).
 */
export function timeZoneChoices(current: string): string[] {
  const known =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const zones = new Set(known);
  zones.add("UTC");
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}
