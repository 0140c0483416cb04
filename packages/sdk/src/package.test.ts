// What `npm pack` ships: the built client, its self-contained types, the README
// and the MIT licence, and dependencies a registry can resolve.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without declarations.
import { build } from "../scripts/build.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

beforeAll(async () => {
  await build();
}, 600_000);

it("packs the build, its types, README and LICENSE", () => {
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
    }),
  ) as [{ files: { path: string }[]; name: string }];
  expect(packed.name).toBe("@netia/sdk");
  expect(packed.files.map((f) => f.path).sort()).toEqual([
    "LICENSE",
    "README.md",
    "dist/client.d.ts",
    "dist/errors.d.ts",
    "dist/index.d.ts",
    "dist/index.js",
    "dist/retry.d.ts",
    "dist/router.d.ts",
    "package.json",
  ]);
});

it("is MIT licensed and depends only on what a registry has", () => {
  expect(manifest.license).toBe("MIT");
  expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License/);
  const workspace = readFileSync(join(ROOT, "../../pnpm-workspace.yaml"), "utf8");
  for (const [name, version] of Object.entries(manifest.dependencies as Record<string, string>)) {
    expect(version, name).toMatch(/^\d+\.\d+\.\d+$/);
    // The same version the server is built with.
    expect(workspace, name).toContain(`"${name}": ${version}`);
  }
});

it("types every procedure a key may call, and no other", () => {
  const router = readFileSync(join(ROOT, "dist/router.d.ts"), "utf8");
  for (const name of ["conversations", "messages", "tags", "notes", "customers", "dashboard"]) {
    expect(router).toContain(`  ${name}: {`);
  }
  expect(router).not.toContain("apiKeys:");
  expect(router).not.toContain("  auth: {");
  expect(router).not.toMatch(/import\("/);
});

it("types a consumer's calls from dist alone, and rejects wrong input", () => {
  // Inside the package, so @trpc/* resolve as they would from a consumer's node_modules.
  const dir = mkdtempSync(join(ROOT, ".consumer-"));
  try {
    const file = join(dir, "usage.ts");
    writeFileSync(
      file,
      [
        'import { createNetiaClient, type RouterOutputs, NetiaError } from "../dist/index.js";',
        'const netia = createNetiaClient({ url: "https://chat.example.com", apiKey: "netia_live_x" });',
        "export async function use(conversationId: string) {",
        '  const { items } = await netia.conversations.list.query({ view: "unassigned" });',
        "  const first: RouterOutputs['conversations']['list']['items'][number] | undefined = items[0];",
        "  const reply = await netia.messages.reply.mutate({ conversationId, body: 'hi' });",
        "  const seq: number = reply.seq;",
        "  // @ts-expect-error: no such view",
        '  await netia.conversations.list.query({ view: "everything" });',
        "  // @ts-expect-error: keys cannot manage keys, so the SDK has no apiKeys",
        "  netia.apiKeys;",
        "  netia.dashboard.events.subscribe({}, { onData: ({ data }) => data.type, onError: (e) => e instanceof NetiaError });",
        "  return [first, seq];",
        "}",
      ].join("\n"),
    );
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
    });
    // Ours and the consumer's; tRPC's own declarations are its business.
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => !d.file?.fileName.includes("/node_modules/"))
      .map((d) => `${d.file?.fileName}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(problems).toEqual([]);
    const repoSources = program
      .getSourceFiles()
      .map((f) => f.fileName)
      .filter((f) => /\/packages\/(?!sdk\/)/.test(f) && !f.includes("node_modules"));
    expect(repoSources).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
