// The away message a visitor sees: the account's outside working hours (the
// server sends it only then), else the inbox's while no agent is online.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { WidgetController } from "./controller";
import type { WidgetConfig } from "./transport";
import { App } from "./ui/App";

const html = (controller: WidgetController) =>
  renderToStaticMarkup(createElement(App, { controller }));

const config = (awayMessage: string | null): WidgetConfig => ({
  accountId: "acc",
  inboxId: "inbox",
  companyName: "Acme",
  requireIdentityVerification: false,
  agentsOnline: true,
  withinWorkingHours: awayMessage === null,
  awayMessage,
  settings: { awayMessage: "Nobody is online" },
  assistant: { enabled: false, name: "Bot" },
});

describe("the away message", () => {
  beforeEach(() => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => {
        throw new Error("no network here");
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  const widget = async (away: string | null, agentsOnline: boolean) => {
    const c = new WidgetController(
      { token: "acc", baseUrl: "https://x.test", preview: { agentsOnline } },
      { config: config(away) },
    );
    await c.start();
    return html(c);
  };

  it("shows the account's message outside working hours, even with agents online", async () => {
    const markup = await widget("Back on **Monday**", true);
    expect(markup).toContain('data-testid="netia-away"');
    expect(markup).toContain("<strong>Monday</strong>");
    expect(markup).not.toContain("Nobody is online");
  });

  it("within working hours shows the inbox's message only while no agent is online", async () => {
    expect(await widget(null, true)).not.toContain('data-testid="netia-away"');
    const away = await widget(null, false);
    expect(away).toContain('data-testid="netia-away"');
    expect(away).toContain("Nobody is online");
  });
});
