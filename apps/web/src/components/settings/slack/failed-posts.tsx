"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/lib/trpc";
import { Section } from "../fields";

/**
 * Conversations whose last post to Slack failed, and why. Slack's trouble is
 * retried by itself; a channel the app left or a refused token needs someone
 * to fix it in Slack, then "Send again".
 */
export function FailedPosts() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const failed = useQuery(
    trpc.slack.failedPosts.queryOptions(undefined, { refetchInterval: 30_000 }),
  );
  const retry = useMutation(
    trpc.slack.retryThread.mutationOptions({
      onSuccess: () =>
        queryClient.invalidateQueries({ queryKey: trpc.slack.failedPosts.queryKey() }),
    }),
  );
  return (
    <Section
      title="Failed posts"
      description="Posts Slack did not take. Nothing is skipped: a thread resumes where it stopped."
    >
      {failed.isPending ? null : failed.isError ? (
        <ErrorMessage error={failed.error} />
      ) : failed.data.length === 0 ? (
        <p className="text-sm text-muted-foreground" data-testid="slack-no-failures">
          Nothing failed.
        </p>
      ) : (
        <ul className="-my-3 divide-y" data-testid="slack-failed-posts">
          {failed.data.map((post) => (
            <li
              key={post.conversationId}
              className="flex flex-wrap items-center justify-between gap-3 py-3"
            >
              <div className="grid gap-0.5">
                <Link
                  href={`/inbox/${post.conversationId}`}
                  className="font-medium hover:underline"
                >
                  {post.customer}
                </Link>
                <span className="text-xs text-destructive">
                  {post.lastError} · {post.failedAt.toLocaleString()}
                </span>
              </div>
              <Button
                size="sm"
                variant="outline"
                disabled={retry.isPending}
                onClick={() => retry.mutate({ conversationId: post.conversationId })}
              >
                Send again
              </Button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={retry.error} />
    </Section>
  );
}
