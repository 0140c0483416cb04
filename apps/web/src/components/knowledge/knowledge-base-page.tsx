"use client";

import { Lock, Plus } from "lucide-react";
import { useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { Button } from "@/components/ui/button";
import { ArticleEditor } from "./article-editor";
import { ArticleList } from "./article-list";
import { ImportMarkdown } from "./import-markdown";

/** Which article the editor is open on: a new one, an existing one, or none. */
export type Editing = { kind: "new" } | { kind: "edit"; id: string } | null;

/**
 * Settings → Knowledge base: the articles the assistant answers from. Everyone
 * reads them; admins write, import, publish and delete (the server refuses the rest).
 */
export function KnowledgeBasePage() {
  const isAdmin = useMe().role === "admin";
  const [editing, setEditing] = useState<Editing>(null);

  return (
    <div className="mx-auto grid max-w-4xl grid-cols-1 gap-6 p-4 sm:p-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">Knowledge base</h1>
          <p className="text-sm text-muted-foreground">
            Articles the assistant searches to answer customers, and cites as its sources.
          </p>
        </div>
        {isAdmin && editing === null ? (
          <Button onClick={() => setEditing({ kind: "new" })} data-testid="article-new">
            <Plus aria-hidden />
            New article
          </Button>
        ) : null}
      </div>

      {isAdmin ? null : (
        <p
          className="flex items-center gap-2 rounded-md border bg-muted/60 px-3 py-2 text-sm text-muted-foreground"
          data-testid="read-only-notice"
        >
          <Lock className="size-4 shrink-0" aria-hidden />
          Only admins can change the knowledge base.
        </p>
      )}

      {editing ? (
        <ArticleEditor
          key={editing.kind === "edit" ? editing.id : "new"}
          articleId={editing.kind === "edit" ? editing.id : null}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {isAdmin && editing === null ? <ImportMarkdown /> : null}
      <ArticleList isAdmin={isAdmin} onEdit={(id) => setEditing({ kind: "edit", id })} />
    </div>
  );
}
