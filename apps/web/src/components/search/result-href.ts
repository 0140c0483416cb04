import type { RouterOutputs } from "@/lib/trpc";

export type SearchResult = RouterOutputs["search"]["query"][number];

/**
 * Where a result leads. A message opens its conversation with `?message=<id>`,
 * which the thread scrolls to and highlights.
 */
export function resultHref(result: SearchResult): string {
  switch (result.kind) {
    case "message":
      return `/inbox/${result.conversationId}?message=${result.id}`;
    case "customer":
      return `/customers/${result.id}`;
    case "company":
      return `/companies/${result.id}`;
  }
}
