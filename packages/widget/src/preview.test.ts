// Preview mode: the widget as a settings page shows it, open on sample
// messages, following new options, without ever reaching the server.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WidgetController } from "./controller";
import { App } from "./ui/App";

const html = (controller: WidgetController) =>
  renderToStaticMarkup(createElement(App, { controller }));

describe("preview", () => {
  const network = vi.fn(() => {
    throw new Error("a preview must not use the network");
  });

  beforeEach(() => {
    network.mockClear();
    vi.stubGlobal("fetch", network);
    vi.stubGlobal("WebSocket", network);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("renders the open chat with sample messages and the given settings", async () => {
    const c = new WidgetController({
      token: "acc",
      baseUrl: "https://chat.example.com",
      preview: true,
      title: "Acme support",
      primaryColor: "#0f766e",
    });
    await c.start();
    expect(c.preview).toBe(true);
    expect(c.state.phase).toBe("ready");
    expect(c.state.open).toBe(true);
    expect(c.state.messages.map((m) => m.senderType)).toEqual(["customer", "user"]);

    const markup = html(c);
    expect(markup).toContain('class="nw right open preview"');
    expect(markup).toContain("--nw-primary:#0f766e");
    expect(markup).toContain("Acme support");
    expect(markup).toContain("Can I change my plan later?");
    expect(markup).toContain("Hi there! How can I help you?"); // the default greeting
    expect(network).not.toHaveBeenCalled();
  });

  it("follows new options, shows the away state, and keeps everything on the page", async () => {
    const c = new WidgetController({ token: "acc", baseUrl: "https://x.test", preview: true });
    await c.start();
    c.setOptions({
      token: "acc",
      preview: { agentsOnline: false, conversation: false },
      title: "Unsaved title",
      primaryColor: "#12345", // invalid while typing: the default colour
      awayMessage: "We're back **tomorrow**",
      requireEmailUpfront: true,
      position: "left",
      showAgentAvailability: true,
      agentUnavailableText: "Away now",
    });
    expect(c.state.settings.title).toBe("Unsaved title");
    expect(c.state.settings.primaryColor).toBe("#1890ff");
    expect(c.state.agentsOnline).toBe(false);
    expect(c.state.messages).toEqual([]);
    const markup = html(c);
    expect(markup).toContain('class="nw left open preview"');
    expect(markup).toContain("Away now");
    expect(markup).toContain("<strong>tomorrow</strong>");
    expect(markup).toContain('data-testid="netia-email-form"');

    // What the visitor would do: all of it stays local.
    expect(await c.submitEmail("ada@example.com")).toBe(true);
    expect(c.send("Hello there")).toBe(true);
    expect(c.state.messages.at(-1)).toMatchObject({ senderType: "customer", body: "Hello there" });
    expect(c.state.outbox).toEqual([]);
    c.typing();
    c.showList();
    c.showChat();
    await c.openConversation("preview");
    await c.identify({ external_id: "user_42" }, "hash");
    await c.loadConversations();
    expect(await c.upload(new File(["x"], "x.txt"))).toBeNull();
    c.close();
    c.open();
    c.destroy();
    expect(network).not.toHaveBeenCalled();
  });
});
