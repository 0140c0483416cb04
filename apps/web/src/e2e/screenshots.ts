// Screenshots of the main pages, written by the browser tests to
// test-results/screenshots/ at the repository root (git-ignored; CI keeps the
// folder as an artifact). Named <page>-<theme>-<device>.png.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BrowserContext, Page, WebHarness } from "./harness";

export const SCREENSHOT_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../../test-results/screenshots",
);

export type ColorScheme = "light" | "dark";
export type Device = "desktop" | "phone";

export const VIEWPORTS: Record<Device, { width: number; height: number }> = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
};

/** A browser context of that size, its system theme light or dark (the dashboard follows it). */
export async function contextFor(
  harness: WebHarness,
  device: Device,
  colorScheme: ColorScheme = "light",
): Promise<BrowserContext> {
  const context = await harness.browser.newContext({
    viewport: VIEWPORTS[device],
    deviceScaleFactor: 1,
    colorScheme,
  });
  context.setDefaultTimeout(30_000);
  return context;
}

/** Saves the page as it is now; returns the file's path. */
export async function saveScreenshot(
  page: Page,
  name: string,
  { scheme, device }: { scheme: ColorScheme; device: Device },
): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}-${scheme}-${device}.png`);
  // Caret blink and transitions would make two runs differ for nothing.
  await page.screenshot({ path, animations: "disabled", caret: "hide" });
  return path;
}
