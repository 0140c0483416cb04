// @netia/sdk: a typed client for Netia's API, for Node.js and edge services.
import type { AppRouter } from "@netia/api";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";

export { createNetiaClient, type NetiaClient, type NetiaClientOptions } from "./client";
export { isNetiaError, NetiaError, type NetiaErrorCode } from "./errors";
export type { RetryOptions } from "./retry";
export type { AppRouter };

/** Each procedure's input, e.g. `RouterInputs["messages"]["reply"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** Each procedure's output, e.g. `RouterOutputs["conversations"]["list"]["items"][number]`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
