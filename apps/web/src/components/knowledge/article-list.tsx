"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Search, Trash2 } from "lucide-react";
import { useDeferredValue, useId, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Section, Switch } from "@/components/settings/fields";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { messageTime } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";

type ArticleSummary = RouterOutputs["knowledge"]["list"]["articles"][number];

/** While passages wait for their embedding, the list looks again this often. */
const EMBEDDING_POLL_MS = 3000;

/** The articles, searchable by title, with whether each is published and embedded. */
export function ArticleList({
  isAdmin,
  onEdit,
}: {
  isAdmin: boolean;
  onEdit: (id: string) => void;
}) {
  const trpc = useTRPC();
  const searchId = useId();
  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const list = useQuery({
    ...trpc.knowledge.list.queryOptions(deferred ? { query: deferred } : undefined),
    placeholderData: keepPreviousData,
    refetchInterval: (q) =>
      q.state.data?.embeddingModel &&
      q.state.data.articles.some((a) => a.embeddedPassages < a.passages)
        ? EMBEDDING_POLL_MS
        : false,
  });
  const count = list.data?.articles.length;

  return (
    <Section
      title="Articles"
      description={
        list.data?.embeddingModel
          ? `Searched by full text and by meaning (${list.data.embeddingModel}).`
          : "Searched by full text."
      }
    >
      <div className="grid gap-4">
        <div className="relative">
          <label htmlFor={searchId} className="sr-only">
            Search articles by title
          </label>
          <Search
            className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground"
            aria-hidden
          />
          <Input
            id={searchId}
            type="search"
            placeholder="Search by title"
            className="pl-8"
            value={query}
            maxLength={200}
            onChange={(e) => setQuery(e.target.value)}
            data-testid="article-search"
          />
        </div>
        {list.isPending ? (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading articles…
          </p>
        ) : list.isError ? (
          <ErrorMessage error={list.error} />
        ) : count === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="articles-empty">
            {deferred
              ? `No article title contains “${deferred}”.`
              : "No articles yet. Write one, or import your help center's Markdown files."}
          </p>
        ) : (
          <ul className="-my-3 divide-y" data-testid="articles">
            {list.data.articles.map((article) => (
              <ArticleRow
                key={article.id}
                article={article}
                embeddings={list.data.embeddingModel !== null}
                isAdmin={isAdmin}
                onEdit={() => onEdit(article.id)}
              />
            ))}
          </ul>
        )}
      </div>
    </Section>
  );
}

function EmbeddingBadge({ article }: { article: ArticleSummary }) {
  const done = article.embeddedPassages >= article.passages;
  return (
    <Badge variant={done ? "success" : "warning"} data-testid="article-embedding">
      {done ? "Embedded" : `Embedding ${article.embeddedPassages}/${article.passages}`}
    </Badge>
  );
}

function ArticleRow({
  article,
  embeddings,
  isAdmin,
  onEdit,
}: {
  article: ArticleSummary;
  embeddings: boolean;
  isAdmin: boolean;
  onEdit: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () =>
    void queryClient.invalidateQueries({ queryKey: trpc.knowledge.list.pathKey() });
  const setPublished = useMutation(
    trpc.knowledge.setPublished.mutationOptions({ onSettled: refresh }),
  );
  const remove = useMutation(trpc.knowledge.delete.mutationOptions({ onSettled: refresh }));

  return (
    <li
      className="grid gap-2 py-3 sm:grid-cols-[1fr_auto] sm:items-center"
      data-testid="article-row"
      data-title={article.title}
    >
      <div className="grid min-w-0 gap-1">
        <p className="truncate text-sm font-medium">{article.title}</p>
        <div className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
          <span>
            {article.passages} {article.passages === 1 ? "passage" : "passages"} · edited{" "}
            {messageTime(article.updatedAt)}
          </span>
          {article.published ? null : <Badge variant="secondary">Unpublished</Badge>}
          {embeddings ? <EmbeddingBadge article={article} /> : null}
        </div>
        <ErrorMessage error={setPublished.error ?? remove.error} />
      </div>
      <div className="flex flex-wrap items-center gap-2">
        {isAdmin ? (
          <>
            <Switch
              label="Published"
              checked={
                setPublished.isPending ? setPublished.variables.published : article.published
              }
              disabled={setPublished.isPending}
              onChange={(published) => setPublished.mutate({ id: article.id, published })}
              testId="article-published"
            />
            <Button variant="outline" size="sm" onClick={onEdit} data-testid="article-edit">
              <Pencil aria-hidden />
              Edit
            </Button>
            <Button
              variant="ghost"
              size="sm"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete “${article.title}”? The assistant stops using it.`)) {
                  remove.mutate({ id: article.id });
                }
              }}
              data-testid="article-delete"
            >
              <Trash2 aria-hidden />
              Delete
            </Button>
          </>
        ) : (
          <Button variant="outline" size="sm" onClick={onEdit} data-testid="article-edit">
            Read
          </Button>
        )}
      </div>
    </li>
  );
}
