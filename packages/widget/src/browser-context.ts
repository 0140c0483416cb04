// The browser context recorded on the customer (what agents see on the
// profile): page, referrer, browser, OS, screen, time zone, language.

const cut = (s: string | undefined, max: number) => (s ? s.slice(0, max) : undefined);

export function browserName(ua: string): string {
  if (/Edg\//.test(ua)) return "Edge";
  if (/OPR\/|Opera/.test(ua)) return "Opera";
  if (/SamsungBrowser/.test(ua)) return "Samsung Internet";
  if (/Firefox\/|FxiOS/.test(ua)) return "Firefox";
  if (/Chrome\/|CriOS|Chromium/.test(ua)) return "Chrome";
  if (/Safari\//.test(ua)) return "Safari";
  return "Other";
}

export function osName(ua: string): string {
  if (/Windows/.test(ua)) return "Windows";
  if (/iPhone|iPad|iPod/.test(ua)) return "iOS";
  if (/Android/.test(ua)) return "Android";
  if (/CrOS/.test(ua)) return "ChromeOS";
  if (/Mac OS X|Macintosh/.test(ua)) return "macOS";
  if (/Linux/.test(ua)) return "Linux";
  return "Other";
}

export function browserContext() {
  const ua = navigator.userAgent;
  let timeZone: string | undefined;
  try {
    timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    timeZone = undefined;
  }
  return {
    currentUrl: cut(location.href, 2000),
    host: cut(location.host, 255),
    pathname: cut(location.pathname, 2000),
    referrer: cut(document.referrer, 2000),
    browser: browserName(ua),
    os: osName(ua),
    screen: `${screen.width}x${screen.height}`,
    timeZone: cut(timeZone, 64),
    language: cut(navigator.language, 35),
  };
}
