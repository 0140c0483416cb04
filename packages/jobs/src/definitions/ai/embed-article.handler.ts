import { embedTexts } from "@netia/ai";
import { passagesToEmbed, storePassageEmbeddings } from "@netia/core";
import type { JobHandler } from "../../define";

/**
 * Idempotent: only passages without an embedding from the current model are
 * embedded, so a retry after a crash redoes at most what was not stored. A
 * server without an embedding model (or an article deleted since) has nothing to do.
 */
export const handleEmbedArticle: JobHandler<{ accountId: string; articleId: string }> = async (
  { accountId, articleId },
  { db, ai, logger, job },
) => {
  const model = ai?.embeddingModel;
  if (!ai || !model) return;
  const passages = await passagesToEmbed(db, { accountId, articleId, model });
  if (passages.length === 0) return;
  const vectors = await embedTexts(
    ai,
    passages.map((p) => p.text),
    { signal: job.signal },
  );
  const stored = await storePassageEmbeddings(db, {
    accountId,
    model,
    embeddings: passages.map((p, i) => ({ id: p.id, embedding: vectors[i] as number[] })),
  });
  logger.info({ articleId, stored, model }, "embedded knowledge passages");
};
