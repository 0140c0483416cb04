// Serves the built @netia/widget files (packages/widget/dist): the loader at
// /widget.js, the chat chunk at /widget-app.js. Host pages on any site load
// them, so they carry CORS and cross-origin resource headers; the chunk URL
// the loader asks for carries the chunk's content hash (?v=) and is cached
// for a year, the loader itself for five minutes.
import { existsSync, readFileSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";

type WidgetFile = "widget.js" | "widget-app.js";
type Cached = { body: Uint8Array; etag: string; mtimeMs: number; version: string | null };

const cache = new Map<WidgetFile, Cached>();
let distDir: string | null = null;

/** packages/widget/dist, looked for from the working directory up. */
function findDist(): string | null {
  if (distDir && existsSync(join(distDir, "widget.js"))) return distDir;
  const candidates: string[] = [];
  let dir = process.cwd();
  for (let i = 0; i < 6; i++) {
    candidates.push(
      join(dir, "packages/widget/dist"),
      join(dir, "node_modules/@netia/widget/dist"),
    );
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  distDir = candidates.find((c) => existsSync(join(c, "widget.js"))) ?? null;
  return distDir;
}

async function load(file: WidgetFile): Promise<Cached | null> {
  const dir = findDist();
  if (!dir) return null;
  // Read at run time from outside the app: not something for the build to trace.
  const path = join(/*turbopackIgnore: true*/ dir, file);
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(/*turbopackIgnore: true*/ path)).mtimeMs;
  } catch {
    return null;
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit;
  const body = new Uint8Array(await readFile(/*turbopackIgnore: true*/ path));
  let version: string | null = null;
  try {
    version =
      (
        JSON.parse(
          readFileSync(
            /*turbopackIgnore: true*/ join(/*turbopackIgnore: true*/ dir, "version.json"),
            "utf8",
          ),
        ) as { app?: string }
      ).app ?? null;
  } catch {
    version = null;
  }
  const etag = `"${body.byteLength.toString(36)}-${Math.floor(mtimeMs).toString(36)}"`;
  const entry = { body, etag, mtimeMs, version };
  cache.set(file, entry);
  return entry;
}

export async function serveWidget(request: Request, file: WidgetFile): Promise<Response> {
  const entry = await load(file);
  if (!entry) {
    return new Response("The Netia widget is not built: run `pnpm build`.\n", {
      status: 404,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const requested = new URL(request.url).searchParams.get("v");
  const immutable = file === "widget-app.js" && !!requested && requested === entry.version;
  const headers = new Headers({
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": immutable
      ? "public, max-age=31536000, immutable"
      : "public, max-age=300, stale-while-revalidate=86400",
    etag: entry.etag,
    "access-control-allow-origin": "*",
    "cross-origin-resource-policy": "cross-origin",
    "x-content-type-options": "nosniff",
  });
  if (request.headers.get("if-none-match") === entry.etag) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(entry.body.byteLength));
  return new Response(request.method === "HEAD" ? null : (entry.body as BodyInit), { headers });
}
