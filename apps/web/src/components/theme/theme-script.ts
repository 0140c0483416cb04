// The colour theme is applied before the first paint by a tiny inline script
// in the root layout (no flash of the wrong theme), and afterwards by
// use-theme.ts. Both read the same localStorage key.

export const THEME_STORAGE_KEY = "netia:theme";

export const THEMES = ["system", "light", "dark"] as const;
export type Theme = (typeof THEMES)[number];

/**
 * Runs in <head> before the body renders: puts `dark` on <html> for the stored
 * choice, or for the system's when there is none. Storage may be blocked
 * (privacy settings): then the system decides.
 */
export const THEME_SCRIPT = `(function(){var d;try{var t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)});d=t==="dark"||(t!=="light"&&matchMedia("(prefers-color-scheme: dark)").matches)}catch(e){d=matchMedia("(prefers-color-scheme: dark)").matches}var r=document.documentElement;r.classList.toggle("dark",d);r.style.colorScheme=d?"dark":"light"})()`;
