import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root";

export { MAX_CALLS_PER_BATCH, MAX_SUBSCRIPTIONS_PER_SOCKET } from "./limits";
export { type AppRouter, appRouter, createCaller } from "./root";
export { type Context, type CreateContextOptions, createContext } from "./trpc";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
