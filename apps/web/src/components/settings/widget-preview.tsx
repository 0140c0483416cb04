"use client";

// The live preview of the chat widget: the real widget, as this server ships
// it to websites (/widget-app.js), mounted in preview mode (sample messages,
// no connection, nothing stored) and given the unsaved settings as they change.
import { useEffect, useRef, useState } from "react";
import { Switch } from "./fields";

type PreviewController = {
  setOptions(options: Record<string, unknown>): void;
  destroy(): void;
};

type WidgetAppModule = {
  mountPreview?: (root: ShadowRoot, options: Record<string, unknown>) => PreviewController;
};

/** Served by this server from the built @netia/widget package. */
const WIDGET_APP_URL: string = "/widget-app.js";

let loading: Promise<WidgetAppModule> | null = null;

/** The widget's chat chunk, from this server (loaded once per page). */
function loadWidgetApp(): Promise<WidgetAppModule> {
  loading ??= (
    import(
      /* webpackIgnore: true */ /* turbopackIgnore: true */ WIDGET_APP_URL
    ) as Promise<WidgetAppModule>
  ).catch((error: unknown) => {
    loading = null;
    throw error;
  });
  return loading;
}

export type PreviewScene = { conversation: boolean; agentsOnline: boolean };

export function WidgetPreview({
  settings,
  scene,
}: {
  settings: Record<string, unknown>;
  scene: PreviewScene;
}) {
  const hostRef = useRef<HTMLDivElement>(null);
  const controllerRef = useRef<PreviewController | null>(null);
  const [status, setStatus] = useState<"loading" | "ready" | "unavailable">("loading");
  const options = { token: "preview", ...settings, preview: scene };
  const latest = useRef(options);
  latest.current = options;

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: "open" });
    let cancelled = false;
    let controller: PreviewController | null = null;
    loadWidgetApp().then(
      (mod) => {
        if (cancelled) return;
        if (typeof mod.mountPreview !== "function") {
          setStatus("unavailable");
          return;
        }
        controller = mod.mountPreview(root, latest.current);
        controllerRef.current = controller;
        setStatus("ready");
      },
      () => {
        if (!cancelled) setStatus("unavailable");
      },
    );
    return () => {
      cancelled = true;
      controller?.destroy();
      if (controllerRef.current === controller) controllerRef.current = null;
      root.replaceChildren();
    };
  }, []);

  const key = JSON.stringify(options);
  useEffect(() => {
    controllerRef.current?.setOptions(latest.current);
  }, [key, status]);

  return (
    <div
      className="relative isolate h-[600px] overflow-hidden rounded-xl border bg-[linear-gradient(180deg,var(--color-muted)_0,var(--color-background)_100%)]"
      data-testid="widget-preview"
      data-status={status}
    >
      <FakePage />
      {status === "loading" ? (
        <p className="absolute inset-x-0 top-1/2 text-center text-sm text-muted-foreground">
          Loading preview…
        </p>
      ) : null}
      {status === "unavailable" ? (
        <p
          role="status"
          className="absolute inset-x-6 top-1/2 -translate-y-1/2 rounded-md border bg-background p-3 text-center text-sm text-muted-foreground"
        >
          The preview needs the widget's files, which this server does not have. Build them with{" "}
          <code className="font-mono">pnpm build</code>.
        </p>
      ) : null}
      <div ref={hostRef} />
    </div>
  );
}

/** A sketch of a website behind the widget. */
function FakePage() {
  return (
    <div aria-hidden className="pointer-events-none absolute inset-0 p-5">
      <div className="mb-6 flex items-center gap-1.5">
        <span className="size-2.5 rounded-full bg-border" />
        <span className="size-2.5 rounded-full bg-border" />
        <span className="size-2.5 rounded-full bg-border" />
        <span className="ml-3 h-2.5 w-40 rounded-full bg-border/70" />
      </div>
      <div className="grid max-w-[60%] gap-3">
        <span className="h-4 w-3/4 rounded bg-border/80" />
        <span className="h-2.5 w-full rounded bg-border/60" />
        <span className="h-2.5 w-5/6 rounded bg-border/60" />
        <span className="h-2.5 w-2/3 rounded bg-border/60" />
      </div>
    </div>
  );
}

export function PreviewControls({
  scene,
  onChange,
}: {
  scene: PreviewScene;
  onChange: (scene: PreviewScene) => void;
}) {
  return (
    <div className="grid gap-3 rounded-lg border bg-muted/40 p-3">
      <Switch
        label="Show a conversation"
        hint="Off: a visitor who has not written yet."
        checked={scene.conversation}
        onChange={(conversation) => onChange({ ...scene, conversation })}
        testId="preview-conversation"
      />
      <Switch
        label="Agents online"
        hint="Off: the away message and the email prompt."
        checked={scene.agentsOnline}
        onChange={(agentsOnline) => onChange({ ...scene, agentsOnline })}
        testId="preview-agents-online"
      />
    </div>
  );
}
