// The chat app chunk of the script-tag build (dist/widget-app.js): the loader
// imports it on first open (or when the page needs it sooner) and hands over
// its shadow root. Rendered with Preact; `react` is aliased to preact/compat.
import { h, render } from "preact";
import { APP_CSS } from "./app-styles";
import { type ControllerInit, WidgetController } from "./controller";
import type { ChatWidgetOptions } from "./options";
import { App } from "./ui/App";

export type MountInput = ControllerInit & {
  root: ShadowRoot;
  options: Partial<ChatWidgetOptions>;
  /** The loader's launcher and style, removed once the app has rendered. */
  replace: Element[];
  /** Open once mounted (the visitor clicked the launcher). */
  openNow?: boolean;
};

export function mount(input: MountInput): WidgetController {
  const { root, options, replace, openNow, ...init } = input;
  const controller = new WidgetController(options, init);
  const hadFocus = replace.some((el) => el.contains(root.activeElement));
  const style = document.createElement("style");
  style.textContent = APP_CSS;
  const container = document.createElement("div");
  root.append(style, container);
  // biome-ignore lint/suspicious/noExplicitAny: Preact renders the React-typed component
  render(h(App as any, { controller }), container);
  for (const el of replace) el.remove();
  if (openNow) controller.open();
  else if (hadFocus) root.querySelector<HTMLElement>(".nw-launcher")?.focus();
  void controller.start();
  return controller;
}

/**
 * The widget as a preview (a settings page's): the chat open on sample
 * messages inside the nearest positioned element, never connected, nothing
 * stored. New options (e.g. unsaved settings) go to `setOptions`.
 */
export function mountPreview(
  root: ShadowRoot,
  options: Partial<ChatWidgetOptions>,
): WidgetController {
  return mount({ root, options: { ...options, preview: options.preview || true }, replace: [] });
}
