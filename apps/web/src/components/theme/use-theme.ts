"use client";

import { useCallback, useEffect, useSyncExternalStore } from "react";
import { THEME_STORAGE_KEY, THEMES, type Theme } from "./theme-script";

const DARK_QUERY = "(prefers-color-scheme: dark)";
/** Same-tab changes; other tabs hear the `storage` event. */
const CHANGE_EVENT = "netia:theme-change";

function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return THEMES.find((t) => t === value) ?? "system";
  } catch {
    return "system";
  }
}

function subscribe(onChange: () => void) {
  const media = matchMedia(DARK_QUERY);
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  media.addEventListener("change", onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
    media.removeEventListener("change", onChange);
  };
}

/** Whether the page shows dark for this choice right now. */
function resolvesDark(theme: Theme): boolean {
  return theme === "dark" || (theme === "system" && matchMedia(DARK_QUERY).matches);
}

function applyDark(dark: boolean) {
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.style.colorScheme = dark ? "dark" : "light";
}

/**
 * The agent's theme choice (System, Light or Dark), kept in localStorage and
 * applied to <html>; "System" follows the operating system as it changes.
 */
export function useTheme(): { theme: Theme; setTheme: (theme: Theme) => void } {
  const theme = useSyncExternalStore(subscribe, storedTheme, () => "system" as const);
  const dark = useSyncExternalStore(
    subscribe,
    () => resolvesDark(storedTheme()),
    () => false,
  );

  // Another tab's choice, or the system switching while on "System".
  useEffect(() => applyDark(dark), [dark]);

  const setTheme = useCallback((next: Theme) => {
    try {
      if (next === "system") localStorage.removeItem(THEME_STORAGE_KEY);
      else localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage blocked: the choice lasts until the page is left.
    }
    applyDark(resolvesDark(next));
    window.dispatchEvent(new Event(CHANGE_EVENT));
  }, []);

  return { theme, setTheme };
}
