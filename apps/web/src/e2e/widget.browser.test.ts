// The embeddable widget in real Chromium, on a host page served from another
// origin than Netia (a tiny HTTP server on another port), as customers' sites
// embed it: by script tag, and as <ChatWidget/> in a React app. The agent side
// goes through the API with an agent's cookie against the same runtime.
//
// Outside CI the Netia server runs Next.js in dev mode; in CI (CI=true, after
// `pnpm build`) the production build. NETIA_E2E_MODE=dev|build overrides.
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Client, client, signUpAccount } from "@netia/api/testing";
import { createBotMessage } from "@netia/core";
import type { Runtime } from "@netia/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { build, bundlePage } from "../../../../packages/widget/scripts/build.mjs";
import type { RunningServer } from "../../server";
import { type BrowserContext, type Page, startWebHarness, type WebHarness } from "./harness";

const TIMING_FILE = "/tmp/netia-widget-timing.json";

// Restyles everything a page can reach; none of it may reach the widget.
const HOSTILE_CSS = `
  * { font-family: "Comic Sans MS", cursive !important; color: rgb(255, 0, 0) !important;
      line-height: 3 !important; letter-spacing: 2px !important; box-sizing: content-box !important;
      text-transform: uppercase !important; }
  button { background: rgb(0, 255, 0) !important; padding: 40px !important;
      border: 5px solid rgb(255, 0, 0) !important; border-radius: 0 !important; width: 300px !important; }
  div { margin: 13px !important; outline: 3px solid blue !important; padding: 9px !important; }
  textarea, input { font-size: 30px !important; background: yellow !important; }
  p { margin: 40px !important; }`;

const HOST_BODY = `
  <h1>Acme docs</h1>
  <p id="host-text">Some text on the customer's site.</p>
  <div id="host-div">A box</div>
  <button id="host-button" type="button">Host button</button>`;

/** Lets a test cut the widget's websockets (Chromium's offline mode leaves open sockets alone). */
const SOCKET_SWITCH = `(() => {
  const Native = window.WebSocket;
  const sockets = [];
  const blocked = () => sessionStorage.getItem("test:offline") === "1";
  class Switched extends Native {
    constructor(url, protocols) {
      super(blocked() ? "ws://127.0.0.1:9/" : url, protocols);
      sockets.push(this);
    }
  }
  window.WebSocket = Switched;
  window.__testNetwork = {
    off() { sessionStorage.setItem("test:offline", "1"); for (const s of sockets) s.close(); },
    on() { sessionStorage.removeItem("test:offline"); window.dispatchEvent(new Event("online")); },
  };
})();`;

describe("the widget in Chromium, embedded on another origin", () => {
  let harness: WebHarness;
  let runtime: Runtime;
  let server: RunningServer;
  let host: Server;
  let hostUrl: string;
  let admin: Client;
  let accountId: string;
  const pages = new Map<string, { type: string; body: string }>();

  const scriptPage = (name: string, { css = "", preset = "{}", attrs = "" } = {}) => {
    pages.set(`/${name}.html`, {
      type: "text/html; charset=utf-8",
      body: `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title>
<style>${css}</style>
<script>window.Netia = ${preset};</script>
<script src="${server.url}/widget.js" data-token="${accountId}" ${attrs} async></script>
</head><body>${HOST_BODY}</body></html>`,
    });
    return `${hostUrl}/${name}.html`;
  };

  const pageErrors = new Map<Page, string[]>();
  async function open(context: BrowserContext, url: string): Promise<Page> {
    const page = await context.newPage();
    const errors: string[] = [];
    pageErrors.set(page, errors);
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(url);
    return page;
  }

  const newContext = () => harness.newContext();

  const messages = async (conversationId: string) =>
    (await admin.messages.list({ conversationId, limit: 100 })).items;

  const activeConversation = (page: Page) =>
    page.evaluate(
      (key) => JSON.parse(localStorage.getItem(key) ?? "null") as string | null,
      `netia:${accountId}:active`,
    );

  beforeAll(async () => {
    await build({ quiet: true });
    harness = await startWebHarness("widget");
    ({ runtime, server } = harness);
    const account = await signUpAccount(runtime, "Acme");
    admin = account.admin;
    accountId = account.account.id;
    // Inbox settings on the server; the page's options are merged over them.
    await admin.inboxes.updateWidgetSettings({
      inboxId: account.inbox.id,
      settings: { greeting: "Hello from the **server** greeting", title: "Server title" },
    });

    host = createServer((req, res) => {
      const page = pages.get(new URL(req.url ?? "/", "http://host").pathname);
      if (!page) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": page.type, "cache-control": "no-store" });
      res.end(page.body);
    });
    await new Promise<void>((done) => host.listen(0, "127.0.0.1", done));
    hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    expect(new URL(hostUrl).origin).not.toBe(new URL(server.url).origin);

    // Warm up (dev mode compiles routes on first use).
    for (const path of ["/widget.js", "/widget-app.js"]) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
    }
  }, 240_000);

  afterAll(async () => {
    await new Promise<void>((done) => (host ? host.close(() => done()) : done()));
    await harness?.close();
  }, 60_000);

  it("serves the loader and the chunk with caching and cross-origin headers", async () => {
    const loader = await fetch(`${server.url}/widget.js`);
    expect(loader.headers.get("content-type")).toMatch(/javascript/);
    expect(loader.headers.get("cache-control")).toContain("max-age=300");
    expect(loader.headers.get("access-control-allow-origin")).toBe("*");
    const source = await loader.text();
    const version = /widget-app\.js\?v=([0-9a-f]+)/.exec(source)?.[1];
    expect(version).toBeTruthy();
    const chunk = await fetch(`${server.url}/widget-app.js?v=${version}`);
    expect(chunk.status).toBe(200);
    expect(chunk.headers.get("cache-control")).toContain("immutable");
    const etag = chunk.headers.get("etag") ?? "";
    const again = await fetch(`${server.url}/widget-app.js?v=${version}`, {
      headers: { "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });

  it("script tag: a visitor writes, the agent answers live, unread while closed, history after reload", async () => {
    const context = await newContext();
    try {
      const url = scriptPage("plain", {
        preset: `{ awayMessage: "We're away, we'll answer by email.", newMessagesNotificationText: "Read it" }`,
        attrs: `data-title="Acme support" data-subtitle="We reply fast"`,
      });
      const page = await open(context, url);
      // Only `Netia` is global.
      const globals = await page.evaluate(() => {
        const api = (window as unknown as { Netia: Record<string, unknown> }).Netia;
        return Object.keys(api).sort();
      });
      expect(globals).toEqual(["close", "identify", "open", "reset", "toggle"]);

      const launcher = page.getByTestId("netia-launcher");
      await launcher.click();
      const panel = page.getByTestId("netia-panel");
      await panel.waitFor();
      // Props over server settings over defaults; markdown in the greeting.
      expect(await panel.locator("h2").textContent()).toBe("Acme support");
      expect(await page.getByTestId("netia-greeting").locator("strong").textContent()).toBe(
        "server",
      );
      // Focus moved into the composer.
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              document
                .querySelector("netia-widget")
                ?.shadowRoot?.activeElement?.getAttribute("data-testid") ?? null,
          ),
        )
        .toBe("netia-input");

      const input = page.getByTestId("netia-input");
      await input.fill("Hello from the host page");
      await input.press("Enter");
      await page
        .locator('[data-testid="netia-message"][data-status="sent"]', {
          hasText: "Hello from the host page",
        })
        .waitFor();
      const conversationId = await activeConversation(page);
      expect(conversationId).toBeTruthy();
      if (!conversationId) return;

      // The browser context is on the customer.
      const conversation = await admin.conversations.get({ id: conversationId });
      expect(conversation.customer.currentUrl).toBe(url);
      expect(conversation.customer.browser).toBe("Chrome");
      expect(conversation.customer.timeZone).toBeTruthy();

      // Nobody is online: the away message and the email capture show.
      await page.getByTestId("netia-away").waitFor();
      const emailForm = page.getByTestId("netia-email-form");
      await emailForm.getByLabel("Email").fill("visitor@example.com");
      await emailForm.getByRole("button", { name: "Save" }).click();
      await emailForm.waitFor({ state: "detached" });
      await expect
        .poll(async () => (await admin.conversations.get({ id: conversationId })).customer.email)
        .toBe("visitor@example.com");

      // Visitor typing reaches the agents; agent typing reaches the visitor.
      const typingSeen = new Promise<boolean>((resolve) => {
        const abort = new AbortController();
        const timer = setTimeout(() => {
          abort.abort();
          resolve(false);
        }, 15_000);
        void (async () => {
          const agent = client(runtime, { cookie: admin.cookieHeader(), signal: abort.signal });
          const events = await agent.dashboard.events({});
          for await (const event of events as AsyncIterable<unknown>) {
            // A tracked event is an [id, data] envelope for a server-side caller.
            const data = (Array.isArray(event) ? event[1] : event) as {
              type?: string;
              sender?: { type?: string };
            };
            if (data.type === "typing" && data.sender?.type === "customer") {
              clearTimeout(timer);
              abort.abort();
              resolve(true);
              return;
            }
          }
        })().catch(() => {});
      });
      await new Promise((r) => setTimeout(r, 500));
      await input.pressSequentially("Typ", { delay: 50 });
      expect(await typingSeen).toBe(true);
      await input.fill("");

      await admin.conversations.typing({ conversationId });
      await expect
        .poll(() => page.getByTestId("netia-typing").textContent())
        .toContain("is typing");

      // The reply arrives live; markdown renders; HTML and javascript: links do not.
      await admin.messages.reply({
        conversationId,
        body: 'Hi! **Agent** here <img src=x onerror="window.__pwned=1"> [bad](javascript:window.__pwned=2) see https://example.com/docs.',
      });
      const reply = page.locator('[data-testid="netia-message"][data-sender="user"]').first();
      await reply.waitFor();
      expect(await reply.locator("strong").textContent()).toBe("Agent");
      expect(await reply.locator("img").count()).toBe(0);
      expect(await reply.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
      const links = reply.locator("a");
      expect(await links.count()).toBe(1);
      expect(await links.getAttribute("href")).toBe("https://example.com/docs");
      expect(await links.getAttribute("rel")).toBe("noopener noreferrer");
      expect(await links.getAttribute("target")).toBe("_blank");
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await page.getByTestId("netia-typing").textContent()).toBe("");

      // Seen because it was on screen.
      await expect
        .poll(
          async () => (await messages(conversationId)).find((m) => m.senderType === "user")?.seenAt,
        )
        .toBeTruthy();

      // Closed: a badge and a preview, and nothing is marked seen.
      await page.getByTestId("netia-close").click();
      await panel.waitFor({ state: "detached" });
      await admin.messages.reply({ conversationId, body: "Anything else?" });
      await expect.poll(() => page.getByTestId("netia-badge").textContent()).toBe("1");
      const preview = page.getByTestId("netia-preview");
      expect(await preview.textContent()).toContain("Anything else?");
      expect(await preview.textContent()).toContain("Read it");
      await new Promise((r) => setTimeout(r, 500));
      expect(
        (await messages(conversationId)).find((m) => m.body === "Anything else?")?.seenAt,
      ).toBeNull();

      // Reload: the unread count and the history are still there.
      await page.reload();
      await expect.poll(() => page.getByTestId("netia-badge").textContent()).toBe("1");
      await page.getByTestId("netia-launcher").click();
      for (const text of ["Hello from the host page", "Hi! Agent here", "Anything else?"]) {
        await page.locator('[data-testid="netia-message"]', { hasText: text }).waitFor();
      }
      await expect
        .poll(
          async () =>
            (await messages(conversationId)).find((m) => m.body === "Anything else?")?.seenAt,
        )
        .toBeTruthy();

      // Escape closes and gives focus back to the launcher.
      await page.getByTestId("netia-input").focus();
      await page.keyboard.press("Escape");
      await page.getByTestId("netia-panel").waitFor({ state: "detached" });
      await expect
        .poll(() =>
          page.evaluate(
            () =>
              document
                .querySelector("netia-widget")
                ?.shadowRoot?.activeElement?.getAttribute("data-testid") ?? null,
          ),
        )
        .toBe("netia-launcher");

      // A second conversation, then back to the first from the list.
      await page.evaluate(() => (window as unknown as { Netia: { open(): void } }).Netia.open());
      await page.getByTestId("netia-show-list").click();
      expect(await page.getByTestId("netia-conversation").count()).toBe(1);
      await page.getByTestId("netia-new-conversation").click();
      await page.getByTestId("netia-input").fill("A second question");
      await page.getByTestId("netia-input").press("Enter");
      await page
        .locator('[data-testid="netia-message"][data-status="sent"]', {
          hasText: "A second question",
        })
        .waitFor();
      const second = await activeConversation(page);
      expect(second).toBeTruthy();
      expect(second).not.toBe(conversationId);
      await page.getByTestId("netia-show-list").click();
      await expect.poll(() => page.getByTestId("netia-conversation").count()).toBe(2);
      await page
        .locator(`[data-testid="netia-conversation"][data-conversation-id="${conversationId}"]`)
        .click();
      await page.locator('[data-testid="netia-message"]', { hasText: "Anything else?" }).waitFor();
      expect(
        await page
          .locator('[data-testid="netia-message"]', { hasText: "A second question" })
          .count(),
      ).toBe(0);

      expect(pageErrors.get(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("queues messages typed offline, keeps them across a reload, and sends each once", async () => {
    const context = await newContext();
    try {
      await context.addInitScript(SOCKET_SWITCH);
      const url = scriptPage("offline", { attrs: `data-title="Offline test"` });
      const page = await open(context, url);
      await page.getByTestId("netia-launcher").click();
      const input = page.getByTestId("netia-input");
      await input.fill("Before going offline");
      await input.press("Enter");
      await page
        .locator('[data-testid="netia-message"][data-status="sent"]', {
          hasText: "Before going offline",
        })
        .waitFor();
      const conversationId = await activeConversation(page);
      if (!conversationId) throw new Error("no conversation");

      // Offline: the API is unreachable and the live socket is cut.
      const apiPath = (u: URL) =>
        u.origin === new URL(server.url).origin && u.pathname.startsWith("/api/");
      const cut = (route: { abort(code?: string): Promise<void> }) =>
        route.abort("internetdisconnected");
      await context.route(apiPath, cut);
      await page.evaluate(() =>
        (window as unknown as { __testNetwork: { off(): void } }).__testNetwork.off(),
      );
      await page.getByTestId("netia-offline").waitFor();

      for (const text of ["Queued one", "Queued two"]) {
        await input.fill(text);
        await input.press("Enter");
        await page
          .locator('[data-testid="netia-message"][data-status="queued"]', { hasText: text })
          .waitFor();
      }
      const stored = await page.evaluate(
        (key) =>
          (JSON.parse(localStorage.getItem(key) ?? "{}") as { items?: unknown[] }).items?.length,
        `netia:${accountId}:outbox`,
      );
      expect(stored).toBe(2);

      // A reload while offline keeps them, still pending.
      await page.reload();
      await page.getByTestId("netia-launcher").click();
      for (const text of ["Queued one", "Queued two"]) {
        await page
          .locator('[data-testid="netia-message"][data-status="queued"]', { hasText: text })
          .waitFor();
      }

      // Back online: both arrive once, in order.
      await context.unroute(apiPath, cut);
      await page.evaluate(() =>
        (window as unknown as { __testNetwork: { on(): void } }).__testNetwork.on(),
      );
      for (const text of ["Queued one", "Queued two"]) {
        await page
          .locator('[data-testid="netia-message"][data-status="sent"]', { hasText: text })
          .waitFor();
      }
      await page.getByTestId("netia-offline").waitFor({ state: "detached" });

      // A send whose answer is lost: the server got it, the widget retries, one message.
      let dropped = false;
      await context.route(
        (u) => u.pathname.includes("widget.sendMessage"),
        async (route) => {
          if (dropped) return route.continue();
          dropped = true;
          await route.fetch();
          await route.abort("connectionreset");
        },
      );
      await input.fill("Answer lost once");
      await input.press("Enter");
      await page
        .locator('[data-testid="netia-message"][data-status="sent"]', {
          hasText: "Answer lost once",
        })
        .waitFor();
      expect(dropped).toBe(true);

      const bodies = (await messages(conversationId)).map((m) => m.body);
      const count = (text: string) => bodies.filter((b) => b === text).length;
      expect(count("Queued one")).toBe(1);
      expect(count("Queued two")).toBe(1);
      expect(count("Answer lost once")).toBe(1);
      expect(bodies.indexOf("Queued one")).toBeLessThan(bodies.indexOf("Queued two"));
      expect(
        await page
          .locator('[data-testid="netia-message"]', { hasText: "Answer lost once" })
          .count(),
      ).toBe(1);
    } finally {
      await context.close();
    }
  }, 180_000);

  it("resumes from what its stream delivered, not from the message it just sent", async () => {
    const context = await newContext();
    const original = runtime.bus;
    try {
      const page = await open(context, scriptPage("resume", { attrs: `data-title="Resume"` }));
      await page.getByTestId("netia-launcher").click();
      const input = page.getByTestId("netia-input");
      await input.fill("Is anyone there?");
      await input.press("Enter");
      const sent = (text: string) =>
        page.locator('[data-testid="netia-message"][data-status="sent"]', { hasText: text });
      await sent("Is anyone there?").waitFor();
      const conversationId = await activeConversation(page);
      if (!conversationId) throw new Error("no conversation");

      // From here on no message reaches the bus (as if its publishes were lost):
      // the agent's answer is committed, then the visitor writes again and knows
      // its own, newer message from the send's answer alone.
      runtime.bus = {
        ...original,
        publish: (channels, payload) =>
          payload.type === "message.created"
            ? Promise.resolve()
            : original.publish(channels, payload),
      };
      await admin.messages.reply({ conversationId, body: "An answer still on its way" });
      await input.fill("Hello?");
      await input.press("Enter");
      await sent("Hello?").waitFor();

      // The network comes back: the widget resubscribes, and must ask for
      // everything after the last message its stream delivered.
      await page.evaluate(() => window.dispatchEvent(new Event("online")));
      await page
        .locator('[data-testid="netia-message"][data-sender="user"]', {
          hasText: "An answer still on its way",
        })
        .waitFor();
      expect(pageErrors.get(page)).toEqual([]);
    } finally {
      runtime.bus = original;
      await context.close();
    }
  }, 120_000);

  it("sends an attachment and refuses a file type the server does not take", async () => {
    const context = await newContext();
    try {
      const page = await open(context, scriptPage("attachments"));
      await page.getByTestId("netia-launcher").click();
      const fileInput = page.locator('netia-widget input[type="file"]');
      // A 1×1 PNG.
      const png = Buffer.from(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
        "base64",
      );
      await fileInput.setInputFiles({
        name: "screen shot.png",
        mimeType: "image/png",
        buffer: png,
      });
      await page.locator(".nw-chip", { hasText: "screen shot.png" }).waitFor();
      await page.getByTestId("netia-input").fill("Here is a screenshot");
      await page.getByTestId("netia-send").click();
      const sent = page.locator('[data-testid="netia-message"][data-status="sent"]', {
        hasText: "Here is a screenshot",
      });
      await sent.waitFor();
      const img = sent.locator("img");
      await img.waitFor();
      expect(await img.getAttribute("src")).toMatch(
        new RegExp(`^${server.url}/api/attachments/[^/]+/[^/]+/screen%20shot\\.png$`),
      );
      // The image loads cross-origin.
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(1);
      const conversationId = await activeConversation(page);
      if (!conversationId) throw new Error("no conversation");
      const stored = (await messages(conversationId)).find(
        (m) => m.body === "Here is a screenshot",
      );
      expect(stored?.attachments.map((a) => a.filename)).toEqual(["screen shot.png"]);

      await fileInput.setInputFiles({
        name: "page.html",
        mimeType: "text/html",
        buffer: Buffer.from("<script>alert(1)</script>"),
      });
      await page.getByRole("alert").filter({ hasText: "cannot be sent" }).waitFor();
      expect(await page.locator(".nw-chip").count()).toBe(0);
      expect(pageErrors.get(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("keeps the host page's CSS and its own apart", async () => {
    const context = await newContext();
    try {
      const plain = await open(context, scriptPage("styles-plain"));
      const hostile = await open(context, scriptPage("styles-hostile", { css: HOSTILE_CSS }));
      pages.set("/bare.html", {
        type: "text/html; charset=utf-8",
        body: `<!doctype html><html><head><meta charset="utf-8"></head><body>${HOST_BODY}</body></html>`,
      });
      const bare = await open(context, `${hostUrl}/bare.html`);

      const widgetStyles = async (page: Page) => {
        await page.bringToFront();
        await page.getByTestId("netia-launcher").click();
        await page
          .getByTestId("netia-greeting")
          .waitFor()
          .catch(async (error) => {
            await page.screenshot({ path: "/tmp/netia-widget-styles.png" });
            throw error;
          });
        return page.evaluate(() => {
          const root = document.querySelector("netia-widget")?.shadowRoot;
          if (!root) throw new Error("no widget");
          const props = [
            "font-family",
            "font-size",
            "color",
            "line-height",
            "letter-spacing",
            "text-transform",
            "box-sizing",
            "background-color",
            "padding-top",
            "margin-top",
            "border-top-width",
            "border-top-left-radius",
            "outline-style",
            "width",
            "height",
          ];
          const pick = (selector: string) => {
            const el = selector === ":host" ? root.host : root.querySelector(selector);
            if (!el) throw new Error(`missing ${selector}`);
            const cs = getComputedStyle(el);
            return Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]));
          };
          return Object.fromEntries(
            [
              ":host",
              ".nw-launcher",
              ".nw-panel",
              ".nw-head",
              ".nw-log",
              "textarea",
              ".nw-btn",
              '[data-testid="netia-greeting"] .nw-msg',
            ].map((s) => [s, pick(s)]),
          );
        });
      };
      const hostStyles = (page: Page) =>
        page.evaluate(() => {
          const props = [
            "font-family",
            "color",
            "margin-top",
            "padding-top",
            "background-color",
            "line-height",
            "width",
            "display",
          ];
          return ["body", "h1", "#host-text", "#host-div", "#host-button"].map((selector) => {
            const el = document.querySelector(selector);
            if (!el) throw new Error(`missing ${selector}`);
            const cs = getComputedStyle(el);
            return [selector, Object.fromEntries(props.map((p) => [p, cs.getPropertyValue(p)]))];
          });
        });

      const fromPlain = await widgetStyles(plain);
      expect(await widgetStyles(hostile)).toEqual(fromPlain);
      // And the widget looks like itself (not the browser's defaults).
      expect(fromPlain[".nw-launcher"]?.["border-top-left-radius"]).toBe("50%");
      // The widget adds no style to the page.
      expect(await hostStyles(plain)).toEqual(await hostStyles(bare));
      expect(
        await plain.evaluate(() => document.querySelectorAll("style, link[rel=stylesheet]").length),
      ).toBe(1);
      // The hostile page still styles its own button.
      const hostButton = await hostile.evaluate(
        () => getComputedStyle(document.getElementById("host-button") as Element).backgroundColor,
      );
      expect(hostButton).toBe("rgb(0, 255, 0)");
    } finally {
      await context.close();
    }
  }, 120_000);

  it("<ChatWidget/> in a React app: send and receive live", async () => {
    const bundle = await bundlePage(`
      import { createRoot } from "react-dom/client";
      import { ChatWidget } from "./dist/index.js";
      const cfg = (window as any).__CFG;
      (window as any).__sent = 0;
      createRoot(document.getElementById("root")!).render(
        <ChatWidget
          token={cfg.token}
          baseUrl={cfg.baseUrl}
          title="React support"
          defaultIsOpen
          primaryColor="#7c3aed"
          onMessageSent={() => { (window as any).__sent += 1; }}
          onMessageReceived={(m) => { (window as any).__received = m.body; }}
        />,
      );`);
    pages.set("/react.js", { type: "text/javascript; charset=utf-8", body: bundle });
    pages.set("/react.html", {
      type: "text/html; charset=utf-8",
      body: `<!doctype html><html><head><meta charset="utf-8"><style>${HOSTILE_CSS}</style>
<script>window.__CFG = ${JSON.stringify({ token: accountId, baseUrl: server.url })};</script>
<script type="module" src="/react.js"></script></head><body><div id="root"></div>${HOST_BODY}</body></html>`,
    });
    const context = await newContext();
    try {
      const page = await open(context, `${hostUrl}/react.html`);
      const panel = page.getByTestId("netia-panel");
      await panel.waitFor();
      expect(await panel.locator("h2").textContent()).toBe("React support");
      const input = page.getByTestId("netia-input");
      await input.fill("Hello from React");
      await input.press("Enter");
      await page
        .locator('[data-testid="netia-message"][data-status="sent"]', {
          hasText: "Hello from React",
        })
        .waitFor();
      expect(await page.evaluate(() => (window as { __sent?: number }).__sent)).toBe(1);
      const conversationId = await activeConversation(page);
      if (!conversationId) throw new Error("no conversation");
      await admin.messages.reply({ conversationId, body: "Hello React visitor" });
      await page
        .locator('[data-testid="netia-message"][data-sender="user"]', {
          hasText: "Hello React visitor",
        })
        .waitFor();
      expect(await page.evaluate(() => (window as { __received?: string }).__received)).toBe(
        "Hello React visitor",
      );

      // A bot message with quick replies (as the assistant sends them): a click sends the text.
      await createBotMessage(runtime, {
        accountId,
        conversationId,
        body: "Did that answer your question?",
        idempotencyKey: randomUUID(),
        metadata: { quickReplies: ["Yes, thanks", "No, talk to a human"] },
      });
      const quick = page.getByTestId("netia-quick-replies");
      await quick.getByRole("button", { name: "No, talk to a human" }).click();
      await page
        .locator('[data-testid="netia-message"][data-status="sent"]', {
          hasText: "No, talk to a human",
        })
        .waitFor();
      await quick.waitFor({ state: "detached" });
      expect(
        (await messages(conversationId)).filter((m) => m.body === "No, talk to a human"),
      ).toHaveLength(1);
      expect(
        await page.evaluate(
          () =>
            getComputedStyle(
              document
                .querySelector("netia-widget")
                ?.shadowRoot?.querySelector(".nw-launcher") as Element,
            ).backgroundColor,
        ),
      ).toBe("rgb(124, 58, 237)");
      expect(pageErrors.get(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 120_000);

  it("shows the launcher quickly (median of 5 loads)", async () => {
    const url = scriptPage("timing");
    const runs: { fromRequest: number; fromScript: number; fromNavigation: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const context = await newContext();
      try {
        const page = await open(context, url);
        await page.getByTestId("netia-launcher").waitFor();
        const run = await page.waitForFunction(() => {
          const shown = performance.getEntriesByName("netia:launcher-shown")[0];
          const start = performance.getEntriesByName("netia:script-start")[0];
          const script = performance
            .getEntriesByType("resource")
            .find((e) => new URL(e.name).pathname === "/widget.js");
          if (!shown || !start || !script) return null;
          return {
            fromRequest: shown.startTime - script.startTime,
            fromScript: shown.startTime - start.startTime,
            fromNavigation: shown.startTime,
          };
        });
        const value = await run.jsonValue();
        if (value) runs.push(value);
      } finally {
        await context.close();
      }
    }
    const median = (key: keyof (typeof runs)[number]) =>
      runs.map((r) => r[key]).sort((a, b) => a - b)[Math.floor(runs.length / 2)] ?? Number.NaN;
    const result = {
      mode: harness.dev ? "dev" : "build",
      medianMs: {
        scriptRequestToLauncher: median("fromRequest"),
        scriptStartToLauncher: median("fromScript"),
        navigationToLauncher: median("fromNavigation"),
      },
      runs,
    };
    writeFileSync(TIMING_FILE, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`widget launcher timing: ${JSON.stringify(result.medianMs)}`);
    expect(result.medianMs.scriptStartToLauncher).toBeLessThan(200);
    expect(result.medianMs.scriptRequestToLauncher).toBeLessThan(2_000);
  }, 120_000);
});
