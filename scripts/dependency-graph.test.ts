// The dependency arrows run one way: no workspace package depends on itself
// through others (dev dependencies included, since a package's tests are built
// with it), and no module imports itself through others inside a package.
// A cycle fails here with the path it takes.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import madge from "madge";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

type Manifest = {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

/** Every workspace package's folder (the globs of pnpm-workspace.yaml: apps/*, packages/*, bench). */
function workspaceFolders(): string[] {
  const folders = ["apps", "packages"].flatMap((parent) =>
    readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, parent, entry.name)),
  );
  return [...folders, join(root, "bench")].filter((dir) => existsSync(join(dir, "package.json")));
}

/** The first cycle found in `graph`, as the path that closes it, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return null;
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(node);
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe("dependency graph", () => {
  const folders = workspaceFolders();

  it("has no cycle between workspace packages", () => {
    const manifests = folders.map(
      (dir) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest,
    );
    const names = new Set(manifests.map((m) => m.name));
    const graph = new Map(
      manifests.map((m) => [
        m.name,
        Object.keys({
          ...m.dependencies,
          ...m.devDependencies,
          ...m.peerDependencies,
          ...m.optionalDependencies,
        }).filter((dep) => names.has(dep)),
      ]),
    );
    expect(findCycle(graph)).toBeNull();
  });

  it("finds a cycle when there is one", () => {
    const graph = new Map([
      ["@netia/db", ["@netia/config", "@netia/testkit"]],
      ["@netia/testkit", ["@netia/db"]],
      ["@netia/config", []],
    ]);
    expect(findCycle(graph)).toEqual(["@netia/db", "@netia/testkit", "@netia/db"]);
  });

  for (const dir of folders) {
    const src = existsSync(join(dir, "src")) ? join(dir, "src") : dir;
    it(`has no import cycle inside ${relative(root, dir)}`, async () => {
      const result = await madge(src, {
        fileExtensions: ["ts", "tsx"],
        excludeRegExp: [/node_modules/, /\.next/, /dist\//],
        tsConfig: join(dir, "tsconfig.json"),
      });
      expect(result.circular()).toEqual([]);
    });
  }
});
