// Embeds the passages of a knowledge-base article with the provider's
// embedding model, for hybrid search. Enqueued in the transaction that saved
// the article; one waiting job per article (a second save while one waits adds
// nothing: the waiting job reads the passages as they are when it runs).
import { z } from "zod";
import { defineJob } from "../../define";

export const embedArticle = defineJob({
  name: "ai.embed-article",
  payload: z.object({ accountId: z.uuid(), articleId: z.uuid() }),
  retry: { retryLimit: 6, retryDelay: 10, retryBackoff: true, retryDelayMax: 600 },
  policy: "short",
  singletonKey: (payload) => payload.articleId,
  expireInSeconds: 5 * 60,
  // One article at a time per worker loop: embeddings count against the provider's limits.
  batchSize: 1,
  handler: () => import("./embed-article.handler").then((m) => m.handleEmbedArticle),
});
