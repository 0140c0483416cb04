// What the browser part of the inbox benchmark measures in Chromium: how soon
// the inbox answers a click after navigation, and frame times while the
// conversation list or a thread is scrolled with the mouse wheel.
import type { launchChromium } from "@netia/testkit/browser";

type Browser = Awaited<ReturnType<typeof launchChromium>>;
export type Page = Awaited<ReturnType<Awaited<ReturnType<Browser["newContext"]>>["newPage"]>>;

export type LoadRun = {
  /** Navigation start to the HTML received, and to DOMContentLoaded (scripts run). */
  responseEndMs: number;
  domContentLoadedMs: number;
  /** Navigation start to the end of the last tRPC answer the list waited for. */
  lastApiResponseMs: number;
  /** Navigation start to the first conversation row in the page. */
  listRenderedMs: number;
  /** Navigation start to the clicked row shown selected (the click handled by the app). */
  interactiveMs: number;
  /** Each tRPC request before the list rendered: its procedures, start and end (ms). */
  apiRequests: { procedures: string; startMs: number; endMs: number }[];
};

export type FrameStats = {
  frames: number;
  medianMs: number;
  p99Ms: number;
  maxMs: number;
  /** Frames longer than 50 ms (a visible stutter). */
  over50Ms: number;
  /** Wall time of the scroll, and how far it went. */
  durationMs: number;
  rowsScrolled: number;
};

const ROW_SELECTOR = '[data-testid="conversation-row"]';

/**
 * One load of the inbox: navigation start (performance.now() = 0 in the new
 * document) to the list rendered, then a click on the second row, to that row
 * marked selected. Both instants are read in a requestAnimationFrame callback,
 * so they are exact to a frame.
 */
export async function measureInboxLoad(page: Page, url: string): Promise<LoadRun> {
  await page.goto(`${url}/inbox`, { waitUntil: "commit" });
  const listRendered = await page.waitForFunction(
    (selector) => (document.querySelector(selector) ? performance.now() : 0),
    ROW_SELECTOR,
    { polling: "raf", timeout: 60_000 },
  );
  const listRenderedMs = (await listRendered.jsonValue()) as number;
  const row = page.locator(ROW_SELECTOR).nth(1);
  await row.click();
  const selected = await page.waitForFunction(
    (selector) =>
      document.querySelectorAll(selector)[1]?.getAttribute("aria-current") === "page"
        ? performance.now()
        : 0,
    ROW_SELECTOR,
    { polling: "raf", timeout: 60_000 },
  );
  const interactiveMs = (await selected.jsonValue()) as number;
  const timing = await page.evaluate((before) => {
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    const api = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter(
      (r) => r.name.includes("/api/trpc") && r.responseEnd <= before,
    );
    return {
      responseEndMs: nav.responseEnd,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      lastApiResponseMs: api.length ? Math.max(...api.map((r) => r.responseEnd)) : 0,
      apiRequests: api.map((r) => ({
        procedures: new URL(r.name).pathname.replace(/^.*\/api\/trpc\//, ""),
        startMs: Math.round(r.startTime),
        endMs: Math.round(r.responseEnd),
      })),
    };
  }, listRenderedMs);
  return { ...timing, listRenderedMs, interactiveMs };
}

/**
 * Starts recording requestAnimationFrame deltas in the page. A string, not a
 * function: tsx would wrap the inner function in a helper the page lacks.
 */
const START_FRAMES = `(() => {
  window.__frames = [];
  window.__recording = true;
  let last = performance.now();
  function tick(now) {
    window.__frames.push(now - last);
    last = now;
    if (window.__recording) requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);
})()`;

async function startFrames(page: Page): Promise<void> {
  await page.evaluate(START_FRAMES);
}

async function stopFrames(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__recording = false;
    // The first delta spans the time before recording began.
    return w.__frames.slice(1);
  });
}

function frameStats(deltas: number[], durationMs: number, rowsScrolled: number): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? NaN;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    frames: sorted.length,
    medianMs: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted.at(-1) ?? NaN),
    over50Ms: sorted.filter((d) => d > 50).length,
    durationMs: Math.round(durationMs),
    rowsScrolled,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scrolls the element matched by `scroller` with wheel events over it, `step`
 * pixels every `intervalMs`, until `done` says so (or `maxMs` passes), and
 * returns the frame times meanwhile. `progress` reports how many rows were
 * scrolled past.
 */
export async function wheelScroll(
  page: Page,
  {
    scroller,
    step,
    intervalMs,
    maxMs,
    done,
    progress,
  }: {
    scroller: string;
    step: number;
    intervalMs: number;
    maxMs: number;
    done: () => Promise<boolean>;
    progress: () => Promise<number>;
  },
): Promise<FrameStats> {
  const box = await page.locator(scroller).boundingBox();
  if (!box) throw new Error(`${scroller} is not on screen`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await startFrames(page);
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < maxMs) {
    await page.mouse.wheel(0, step);
    await sleep(intervalMs);
    // Checking costs a round trip: not on every step.
    if (++steps % 25 === 0 && (await done())) break;
  }
  const durationMs = performance.now() - t0;
  const deltas = await stopFrames(page);
  return frameStats(deltas, durationMs, await progress());
}
