// Types of build.mjs, for the tests that import it.
export declare function build(options?: {
  quiet?: boolean;
}): Promise<{ dist: string; version: string }>;
export declare function bundlePage(source: string): Promise<string>;
