// @netia/runtime: what a Netia process sets up once and shares (config,
// database, event bus, auth, logger, limits, timers). The web server and any
// other process (a job worker) build it the same way; @netia/api takes its type.

export { embeddedTemplatePath } from "./embedded-template";
export { getRuntime, setRuntime } from "./process-runtime";
export { type Readiness, readiness } from "./readiness";
export { closeRuntime, createRuntime, type Runtime, type RuntimeOptions } from "./runtime";
