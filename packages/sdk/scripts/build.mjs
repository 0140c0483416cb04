// Builds @netia/sdk into dist/:
//   index.js     the client (ES module; @trpc/client and @trpc/server stay dependencies)
//   index.d.ts   its types, plus client.d.ts, errors.d.ts, retry.d.ts
//   router.d.ts  AppRouter as a self-contained type: every procedure an API key
//                may call, with its input and output written out in full, so the
//                package carries the server's types without any server code or
//                any of its dependencies.
// Run `node --import tsx scripts/build.mjs` (the router is read from @netia/api's source).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import ts from "typescript";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "dist");

const compilerOptions = {
  strict: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  skipLibCheck: true,
  jsx: ts.JsxEmit.ReactJSX,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
};

function fail(diagnostics) {
  const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => "\n",
  };
  throw new Error(ts.formatDiagnostics(diagnostics, host));
}

/** The procedures API keys may call (those declaring a scope), from the live router. */
async function keyProcedures() {
  const { appRouter } = await import("@netia/api");
  return Object.entries(appRouter._def.procedures)
    .filter(([, p]) => p._def.meta?.apiKey)
    .map(([path, p]) => ({ path, type: p._def.type }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

const PROBE = join(ROOT, "src", "__router-probe.ts");
const FLAGS =
  ts.TypeFormatFlags.NoTruncation |
  ts.TypeFormatFlags.InTypeAlias |
  ts.TypeFormatFlags.UseStructuralFallback;
/** `import("/abs/path").Name` as the compiler prints a named type from another module. */
const IMPORTED = /import\("([^"]+)"\)\.([A-Za-z_$][\w$]*)/g;

/**
 * Prints every `export type` of a probe module in full. Reuses the previous
 * program, so later rounds only re-read the probe.
 */
function printProbe(lines, previous) {
  writeFileSync(PROBE, lines.join("\n"));
  const program = ts.createProgram([PROBE], compilerOptions, undefined, previous);
  const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(PROBE));
  if (problems.length > 0) fail(problems);
  const checker = program.getTypeChecker();
  const printed = new Map();
  for (const statement of program.getSourceFile(PROBE).statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const type = checker.getTypeAtLocation(statement.name);
    printed.set(statement.name.text, checker.typeToString(type, statement, FLAGS));
  }
  return { program, printed };
}

/** tRPC's bundled declarations name their types by short aliases; its public entry by their names. */
function trpcNames(file) {
  const text = readFileSync(`${file}.d.mts`, "utf8");
  const exported = text.slice(text.lastIndexOf("export {"));
  return new Map(
    [...exported.matchAll(/([\w$]+) as ([\w$]+)/g)].map(([, name, alias]) => [alias, name]),
  );
}

/**
 * AppRouter's key procedures and error shape, each type printed in full by
 * the compiler. Named types of Netia's own modules that the printed types use
 * are printed in full too (round after round, until none is left); tRPC's are
 * imported from @trpc/server.
 */
function routerDeclaration(procedures) {
  const lines = [
    'import type { AppRouter } from "@netia/api";',
    "type Def<P> = P extends { _def: { $types: infer T } } ? T : never;",
    'export type ErrorShape = AppRouter["_def"]["_config"]["$types"]["errorShape"];',
  ];
  procedures.forEach(({ path }, i) => {
    const access = path
      .split(".")
      .map((k) => `[${JSON.stringify(k)}]`)
      .join("");
    lines.push(`export type In${i} = Def<AppRouter${access}>["input"];`);
    lines.push(`export type Out${i} = Def<AppRouter${access}>["output"];`);
  });
  const trpcImports = new Set();
  const local = new Map(); // name -> printed, for Netia's named types
  const aliases = new Map();
  const rewrite = (text, pending) =>
    text.replace(IMPORTED, (_, from, name) => {
      if (from.includes("/@trpc/server/")) {
        if (!aliases.has(from)) aliases.set(from, trpcNames(from));
        const real = aliases.get(from).get(name) ?? name;
        trpcImports.add(real);
        return real;
      }
      if (from.includes("/node_modules/")) throw new Error(`a key procedure's type uses ${from}`);
      if (!local.has(name)) pending.set(name, from);
      return name;
    });
  let program;
  let printed;
  try {
    ({ program, printed } = printProbe(lines, undefined));
    const done = new Map();
    let pending = new Map();
    for (const [key, text] of printed) done.set(key, rewrite(text, pending));
    while (pending.size > 0) {
      const round = [...pending];
      pending = new Map();
      for (const [name] of round) local.set(name, "");
      const probe = round.map(
        // Nothing imported into scope, so the types these use print as import("…").Name too.
        ([name, from], i) => `export type L${i} = import(${JSON.stringify(from)}).${name};`,
      );
      let more;
      ({ program, printed: more } = printProbe(probe, program));
      for (const [i, [name]] of round.entries()) {
        local.set(name, rewrite(more.get(`L${i}`), pending));
      }
    }
    printed = done;
  } finally {
    rmSync(PROBE, { force: true });
  }
  const kinds = {
    query: "TRPCQueryProcedure",
    mutation: "TRPCMutationProcedure",
    subscription: "TRPCSubscriptionProcedure",
  };
  // Nest "a.b" paths into { a: { b: ... } }.
  const tree = {};
  procedures.forEach(({ path, type }, i) => {
    const keys = path.split(".");
    let node = tree;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys.at(-1)] =
      `${kinds[type]}<{ input: ${printed.get(`In${i}`)}; output: ${printed.get(`Out${i}`)}; meta: object }>`;
  });
  const render = (node, indent) =>
    `{\n${Object.entries(node)
      .map(([k, v]) => `${indent}  ${k}: ${typeof v === "string" ? v : render(v, `${indent}  `)};`)
      .join("\n")}\n${indent}}`;
  return [
    "// Generated by scripts/build.mjs from Netia's router: the procedures an API key may call.",
    'import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCSubscriptionProcedure } from "@trpc/server";',
    `import type { ${[...trpcImports].sort().join(", ")} } from "@trpc/server/unstable-core-do-not-import";`,
    "",
    ...[...local].map(([name, text]) => `export type ${name} = ${text};`),
    "",
    `export type ErrorShape = ${printed.get("ErrorShape")};`,
    "",
    `export type AppRouterRecord = ${render(tree, "")};`,
    "",
    "export type AppRouter = TRPCBuiltRouter<",
    "  { ctx: object; meta: object; errorShape: ErrorShape; transformer: false },",
    "  AppRouterRecord",
    ">;",
    "",
  ].join("\n");
}

/** Declarations of the SDK's own modules, reading AppRouter from ./router. */
function sdkDeclarations() {
  const program = ts.createProgram([join(ROOT, "src/index.ts")], {
    ...compilerOptions,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    outDir: DIST,
    rootDir: join(ROOT, "src"),
  });
  const written = {};
  const emitted = program.emit(undefined, (file, text) => {
    // Only the SDK's own files: the server's sources are not part of the package.
    if (file.startsWith(DIST) && !file.slice(DIST.length).includes("..")) written[file] = text;
  });
  const problems = ts.getPreEmitDiagnostics(program).concat(emitted.diagnostics);
  if (problems.length > 0) fail(problems);
  for (const [file, text] of Object.entries(written)) {
    if (!/\/(index|client|errors|retry)\.d\.ts$/.test(file)) continue;
    // Relative specifiers with their extension, as Node's own resolution wants them.
    const local = text.replace(/from "\.\/(\w+)"/g, 'from "./$1.js"');
    writeFileSync(file, local.replaceAll('from "@netia/api"', 'from "./router.js"'));
  }
}

/** Type-checks dist/*.d.ts on their own, as a consumer with only @trpc/* installed would. */
function checkStandalone() {
  const files = readdirSync(DIST)
    .filter((f) => f.endsWith(".d.ts"))
    .map((f) => join(DIST, f));
  const program = ts.createProgram(files, {
    ...compilerOptions,
    skipLibCheck: false,
    noEmit: true,
    types: [],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
  });
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || d.file.fileName.startsWith(DIST));
  if (problems.length > 0) fail(problems);
  for (const file of program.getSourceFiles()) {
    if (file.fileName.includes("/packages/") && !file.fileName.includes("node_modules")) {
      if (!file.fileName.startsWith(DIST)) {
        throw new Error(`dist types reach into the repository: ${file.fileName}`);
      }
    }
  }
}

export async function build() {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  await esbuild.build({
    entryPoints: [join(ROOT, "src/index.ts")],
    outfile: join(DIST, "index.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: ["es2022"],
    external: ["@trpc/client", "@trpc/server", "@trpc/server/*"],
    legalComments: "none",
    logLevel: "warning",
  });
  writeFileSync(join(DIST, "router.d.ts"), routerDeclaration(await keyProcedures()));
  sdkDeclarations();
  checkStandalone();
  return readdirSync(DIST);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = await build();
  const size = (f) => readFileSync(join(DIST, f)).length;
  for (const f of files) console.log(`dist/${f}  ${size(f)} bytes`);
  process.exit(0);
}
