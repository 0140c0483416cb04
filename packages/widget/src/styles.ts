// The widget's CSS, scoped by its shadow root: nothing here reaches the host
// page, and `:host { all: initial }` stops the page's inherited styles (font,
// colour, line height, even `!important` ones on `*`) at the boundary.
// LAUNCHER_CSS is all the script-tag loader needs; APP_CSS (app-styles.ts) adds the panel.

export const LAUNCHER_CSS = `:host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;contain:none!important}
.nw{all:initial;display:block;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:14px;line-height:1.45;color:#1f2937;text-align:left;-webkit-font-smoothing:antialiased}
.nw *,.nw *::before,.nw *::after{box-sizing:border-box}
.nw button{font:inherit;margin:0;text-transform:none;letter-spacing:normal}
.nw :focus-visible{outline:2px solid var(--nw-primary);outline-offset:2px}
.nw-launcher{position:fixed;bottom:var(--nw-y);right:var(--nw-x);z-index:var(--nw-z);width:56px;height:56px;border-radius:50%;border:0;padding:0;background:var(--nw-primary);color:var(--nw-on);cursor:pointer;display:flex;align-items:center;justify-content:center;box-shadow:0 4px 16px rgba(0,0,0,.22);transition:transform .15s ease}
.nw.left .nw-launcher{right:auto;left:var(--nw-x)}
.nw-launcher:hover{transform:scale(1.06)}
.nw-launcher:focus-visible{outline:3px solid var(--nw-on);outline-offset:-6px}
.nw-launcher svg{width:28px;height:28px;display:block}
.nw-launcher img{width:34px;height:34px;border-radius:50%;object-fit:cover;display:block}
.nw-badge{position:absolute;top:-3px;right:-3px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font-size:12px;font-weight:600;line-height:20px;text-align:center}
.nw-sr{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0;padding:0;margin:-1px}
`;

/** Black or white text, whichever reads better on `hex`. */
export function textOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l =
    0.2126 * channel((n >> 16) & 255) +
    0.7152 * channel((n >> 8) & 255) +
    0.0722 * channel(n & 255);
  return l > 0.45 ? "#111827" : "#ffffff";
}

export const ICONS = {
  outlined:
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 11.5a8.4 8.4 0 0 1-9 8.3 8.9 8.9 0 0 1-3.8-.8L3 21l1.9-5A8.1 8.1 0 0 1 3 11.5 8.6 8.6 0 0 1 12 3a8.6 8.6 0 0 1 9 8.5z"/></svg>',
  filled:
    '<svg viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M12 3c5 0 9 3.8 9 8.5S17 20 12 20c-1.4 0-2.7-.3-3.9-.8L3 21l1.8-4.8A8.2 8.2 0 0 1 3 11.5C3 6.8 7 3 12 3z"/></svg>',
  close:
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" aria-hidden="true"><path d="M6 6l12 12M18 6L6 18"/></svg>',
};
