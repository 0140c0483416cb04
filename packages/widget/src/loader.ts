// dist/widget.js: what a page's <script> tag loads. It stays tiny: it reads
// the options (data-* attributes, then `window.Netia`), draws the launcher in
// a shadow root, installs the JS API on `window.Netia`, and imports the chat
// app (dist/widget-app.js, next to this script on the Netia server) only when
// it is needed: on first open, or at once for a returning visitor (unread
// messages), an open chat, a queued message or a greeting that pops up.
import type { MountInput } from "./app";
import type { WidgetController } from "./controller";
import {
  type ChatWidgetOptions,
  externalIdOf,
  type NetiaApi,
  type NetiaCustomer,
  offsetOf,
  optionsFromDataset,
  resolveStrings,
} from "./options";
import { resolveSettings } from "./settings";
import { storageFor } from "./storage";
import { ICONS, LAUNCHER_CSS, textOn } from "./styles";
import type { WidgetConfig } from "./transport";

declare const __NETIA_APP_VERSION__: string;

type AppModule = { mount(input: MountInput): WidgetController };

const mark = (name: string) => {
  try {
    performance.mark(name);
  } catch {
    // Old browsers.
  }
};

/** One `widget.config` query: a plain GET, no client library needed. */
async function fetchConfig(baseUrl: string, input: object): Promise<WidgetConfig> {
  const url = `${baseUrl}/api/trpc/widget.config?input=${encodeURIComponent(JSON.stringify(input))}`;
  const res = await fetch(url);
  const body = (await res.json()) as {
    result?: { data?: WidgetConfig };
    error?: { message?: string };
  };
  if (!res.ok || !body.result?.data) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
  return body.result.data;
}

function boot(): void {
  mark("netia:script-start");
  const w = window as unknown as { Netia?: unknown };
  if (document.querySelector("netia-widget")) return; // loaded twice
  const script = document.currentScript as HTMLScriptElement | null;
  const preset =
    w.Netia && typeof w.Netia === "object" && typeof (w.Netia as NetiaApi).open !== "function"
      ? (w.Netia as Partial<ChatWidgetOptions>)
      : {};
  const options: Partial<ChatWidgetOptions> = {
    ...optionsFromDataset({ ...script?.dataset }),
    ...preset,
  };
  if (!options.token) {
    console.error("Netia: no account token; add data-token to the script tag");
    return;
  }
  const scriptUrl = new URL(script?.src || `${options.baseUrl ?? ""}/widget.js`, location.href);
  options.baseUrl = (options.baseUrl || scriptUrl.origin).replace(/\/+$/, "");
  const appUrl = new URL(`widget-app.js?v=${__NETIA_APP_VERSION__}`, scriptUrl).href;
  const storage = storageFor(`${options.token}${options.inbox ? `:${options.inbox}` : ""}`);
  let config = storage.get<WidgetConfig>("config");

  // The launcher, in a shadow root so the page's CSS and ours never meet.
  const host = document.createElement("netia-widget");
  const root = host.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = LAUNCHER_CSS;
  const shell = document.createElement("div");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "nw-launcher";
  button.setAttribute("data-testid", "netia-launcher");
  button.setAttribute("aria-expanded", "false");
  shell.append(button);
  root.append(style, shell);

  const draw = () => {
    const settings = resolveSettings(options, config?.settings);
    const { x, y } = offsetOf(options);
    shell.className = `nw ${settings.position === "left" ? "left" : "right"}`;
    const s = shell.style;
    s.setProperty("--nw-primary", settings.primaryColor);
    s.setProperty("--nw-on", textOn(settings.primaryColor));
    s.setProperty("--nw-x", `${x}px`);
    s.setProperty("--nw-y", `${y}px`);
    s.setProperty("--nw-z", String(options.zIndex ?? 2147483000));
    button.setAttribute("aria-label", resolveStrings(options).openChat);
    button.hidden = !!options.hideToggleButton;
    button.textContent = "";
    if (settings.customIconUrl && /^https?:/i.test(settings.customIconUrl)) {
      const img = document.createElement("img");
      img.alt = "";
      img.src = settings.customIconUrl;
      button.append(img);
    } else {
      // Our own constant markup.
      button.innerHTML = ICONS[settings.iconVariant === "filled" ? "filled" : "outlined"];
    }
    return settings;
  };
  draw();

  let app: WidgetController | null = null;
  let loading: Promise<WidgetController> | null = null;
  let wantOpen = false;
  let loadedNotified = false;
  const waiting: ((app: WidgetController) => void)[] = [];
  const load = (): Promise<WidgetController> => {
    loading ??= (import(/* @vite-ignore */ appUrl) as Promise<AppModule>).then(
      (mod) => {
        app = mod.mount({
          root,
          options,
          config,
          loadedNotified,
          replace: [style, shell],
          openNow: wantOpen,
        });
        for (const fn of waiting.splice(0)) fn(app);
        return app;
      },
      (error: unknown) => {
        loading = null;
        console.error("Netia: the chat could not be loaded", error);
        throw error;
      },
    );
    return loading;
  };
  const whenLoaded = <T>(fn: (app: WidgetController) => T | Promise<T>): Promise<T> =>
    app
      ? Promise.resolve(fn(app))
      : new Promise<T>((resolve, reject) => {
          waiting.push((a) => Promise.resolve(fn(a)).then(resolve, reject));
          load().catch(reject);
        });
  const idle = (fn: () => void) =>
    "requestIdleCallback" in window
      ? requestIdleCallback(fn, { timeout: 1500 })
      : setTimeout(fn, 200);

  const api: NetiaApi = {
    open() {
      if (app) return app.open();
      wantOpen = true;
      button.setAttribute("aria-busy", "true");
      load().catch(() => button.removeAttribute("aria-busy"));
    },
    close() {
      if (app) app.close();
      else wantOpen = false;
    },
    toggle() {
      if (app) app.toggle();
      else if (wantOpen) api.close();
      else api.open();
    },
    identify(customer: NetiaCustomer, identityHash?: string) {
      return whenLoaded((a) => a.identify(customer, identityHash));
    },
    reset() {
      if (app) return app.reset();
      for (const name of ["visitor", "session", "outbox", "email", "active", "open", "popped"]) {
        storage.remove(name);
      }
      options.customer = undefined;
      options.identityHash = undefined;
      return Promise.resolve();
    },
  };
  w.Netia = api;

  button.addEventListener("click", () => api.toggle());
  // Intent to open: start fetching the chat before the click lands.
  button.addEventListener("pointerenter", () => void load().catch(() => {}), { once: true });

  const show = () => {
    document.body.append(host);
    mark("netia:launcher-inserted");
    requestAnimationFrame(() => mark("netia:launcher-shown"));
  };
  if (document.body) show();
  else document.addEventListener("DOMContentLoaded", show, { once: true });

  const outbox = storage.get<{ items?: unknown[] }>("outbox");
  const needsAppNow =
    options.defaultIsOpen ||
    (options.persistOpenState && storage.get<boolean>("open") === true) ||
    !!storage.get("session") ||
    !!outbox?.items?.length ||
    !!externalIdOf(options.customer) ||
    !!options.customer?.email;
  if (needsAppNow) {
    idle(() => void load().catch(() => {}));
    return;
  }
  // A first visit: the settings only (colour, position, a greeting that pops up).
  fetchConfig(options.baseUrl, { accountToken: options.token, inboxId: options.inbox }).then(
    (fresh) => {
      if (loading) return; // the app fetches its own
      config = fresh;
      storage.set("config", fresh);
      const settings = draw();
      if (!loadedNotified) {
        loadedNotified = true;
        options.onChatLoaded?.();
      }
      if (settings.popUpInitialMessage !== false && settings.greeting) {
        const popped = storage.get<number>("popped");
        if (!popped || Date.now() - popped > 12 * 60 * 60 * 1000) {
          idle(() => void load().catch(() => {}));
        }
      }
    },
    (error: unknown) => console.warn("Netia: could not load the chat settings", error),
  );
}

boot();
