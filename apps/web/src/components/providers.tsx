"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import {
  createTRPCClient,
  httpBatchLink,
  httpBatchStreamLink,
  splitLink,
  TRPCClientError,
} from "@trpc/client";
import { useState } from "react";
import { isSubscription, lazyWsLink } from "@/lib/realtime";
import { type AppRouter, TRPCProvider } from "@/lib/trpc";

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        // An expired session or a missing record will not fix itself on retry.
        retry: (failures, error) => {
          if (error instanceof TRPCClientError) {
            const code = error.data?.code;
            if (code === "UNAUTHORIZED" || code === "FORBIDDEN" || code === "NOT_FOUND") {
              return false;
            }
          }
          return failures < 2;
        },
      },
    },
  });
}

function baseUrl(): string {
  if (typeof window !== "undefined") return "";
  return `http://localhost:${process.env.PORT ?? 4000}`;
}

export function Providers({ children }: { children: React.ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Subscriptions go over the websocket; queries and mutations over HTTP.
        splitLink({
          condition: isSubscription,
          true: lazyWsLink(),
          false: splitLink({
            condition: (op) => op.type === "query",
            // Queries made together share a request, but each answer is streamed
            // as soon as it is ready: a page draws its list without waiting for
            // the slowest count beside it.
            true: httpBatchStreamLink({ url: `${baseUrl()}/api/trpc` }),
            // Mutations may set cookies (log in, log out), which a streamed
            // response has already sent its headers before.
            false: httpBatchLink({ url: `${baseUrl()}/api/trpc` }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
