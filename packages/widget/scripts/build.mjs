// Builds @netia/widget into dist/:
//   widget-app.js  the chat app chunk (ES module, Preact), imported by the loader
//   widget.js      the script-tag loader (classic script), which knows the chunk's hash
//   index.js       <ChatWidget/> for React apps (ES module; react and react-dom stay external)
//   index.d.ts     its types (+ options.d.ts)
// Run `node scripts/build.mjs`, or import { build } from it.
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");
// Browsers with shadow DOM, dynamic import() and optional chaining.
const TARGET = ["es2020"];

const shared = {
  bundle: true,
  absWorkingDir: ROOT,
  write: false,
  target: TARGET,
  platform: "browser",
  legalComments: "none",
  jsx: "automatic",
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
};

function write(file, contents) {
  writeFileSync(join(DIST, file), contents);
  return contents;
}

const text = (result) => result.outputFiles[0].text;

function declarations() {
  const options = {
    declaration: true,
    emitDeclarationOnly: true,
    outDir: DIST,
    rootDir: join(ROOT, "src"),
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    skipLibCheck: true,
    types: [],
  };
  const program = ts.createProgram([join(ROOT, "src/options.ts")], options);
  const emitted = program.emit();
  const problems = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
  if (problems.length > 0) {
    const host = {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => ROOT,
      getNewLine: () => "\n",
    };
    throw new Error(ts.formatDiagnostics(problems, host));
  }
  write(
    "index.d.ts",
    `import type { ForwardRefExoticComponent, RefAttributes } from "react";
import type { ChatWidgetOptions, NetiaApi, NetiaStrings } from "./options.js";

export type {
  ChatWidgetOptions,
  NetiaApi,
  NetiaAttachment,
  NetiaCallbacks,
  NetiaCustomer,
  NetiaInboxSettings,
  NetiaMessage,
  NetiaStrings,
} from "./options.js";

export type ChatWidgetProps = ChatWidgetOptions;

/**
 * The Netia chat widget. Props are merged over the inbox's settings on the
 * server; a ref gives open(), close(), toggle(), identify(), reset().
 */
export declare const ChatWidget: ForwardRefExoticComponent<ChatWidgetProps & RefAttributes<NetiaApi>>;

/** Every text the widget shows, in English; override any with the \`strings\` prop. */
export declare const defaultStrings: NetiaStrings;
`,
  );
}

export async function build({ quiet = false } = {}) {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });

  const app = await esbuild.build({
    ...shared,
    entryPoints: [join(ROOT, "src/app.tsx")],
    format: "esm",
    minify: true,
    alias: {
      react: "preact/compat",
      "react-dom": "preact/compat",
      "react/jsx-runtime": "preact/jsx-runtime",
    },
  });
  const appJs = write("widget-app.js", text(app));
  const version = createHash("sha256").update(appJs).digest("hex").slice(0, 12);

  const loader = await esbuild.build({
    ...shared,
    entryPoints: [join(ROOT, "src/loader.ts")],
    format: "iife",
    minify: true,
    define: { ...shared.define, __NETIA_APP_VERSION__: JSON.stringify(version) },
  });
  write("widget.js", text(loader));

  const react = await esbuild.build({
    ...shared,
    entryPoints: [join(ROOT, "src/index.tsx")],
    format: "esm",
    external: ["react", "react-dom", "react/jsx-runtime", "react-dom/client"],
    minifySyntax: true,
    define: {},
  });
  write("index.js", text(react));

  declarations();
  write("version.json", `${JSON.stringify({ app: version })}\n`);
  if (!quiet) console.log(`built packages/widget/dist (app chunk ${version})`);
  return { dist: DIST, version };
}

/**
 * Bundles a small browser page (TSX source, resolved from packages/widget) into
 * one ES module, for tests that embed <ChatWidget/> from dist/index.js in a React app.
 */
export async function bundlePage(source) {
  const result = await esbuild.build({
    ...shared,
    stdin: { contents: source, resolveDir: ROOT, loader: "tsx", sourcefile: "page.tsx" },
    format: "esm",
    minify: true,
  });
  return text(result);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
}
