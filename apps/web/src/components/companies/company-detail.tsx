"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { customerLabel, shortAge } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { CompanyForm } from "./company-form";

/** A company: edit or delete it, its customers and their latest conversations. */
export function CompanyDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const company = useQuery(trpc.companies.get.queryOptions({ id }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.companies.pathKey() });
  const update = useMutation(
    trpc.companies.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.companies.delete.mutationOptions({
      onSuccess: () => {
        void refresh();
        void queryClient.invalidateQueries({ queryKey: trpc.customers.pathKey() });
        router.push("/companies");
      },
    }),
  );

  if (company.isError) return <ErrorMessage error={company.error} />;
  if (!company.data) return <p className="text-sm text-muted-foreground">Loading company…</p>;
  const c = company.data;
  const names = new Map(c.customers.map((m) => [m.id, customerLabel(m)]));
  return (
    <div className="grid gap-4">
      {editing ? (
        <section className="rounded-lg border bg-background p-4">
          <CompanyForm
            initial={{ name: c.name, website: c.website }}
            submitLabel="Save"
            pending={update.isPending}
            error={update.error}
            onSubmit={(fields) => update.mutate({ id, ...fields })}
            onCancel={() => setEditing(false)}
          />
        </section>
      ) : (
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight" data-testid="company-name">
              {c.name}
            </h1>
            {c.website ? (
              <a
                href={c.website}
                target="_blank"
                rel="noopener noreferrer nofollow"
                className="text-sm text-muted-foreground underline underline-offset-2"
              >
                {c.website}
              </a>
            ) : null}
          </div>
          <div className="flex gap-2">
            <Button
              variant="outline"
              size="sm"
              onClick={() => setEditing(true)}
              data-testid="company-edit"
            >
              <Pencil aria-hidden />
              Edit
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(`Delete ${c.name}? Its customers stay, without a company.`)) {
                  remove.mutate({ id });
                }
              }}
              data-testid="company-delete"
            >
              <Trash2 aria-hidden />
              Delete
            </Button>
          </div>
        </div>
      )}
      <ErrorMessage error={remove.error} />
      <div className="grid gap-4 md:grid-cols-2">
        <section className="rounded-lg border bg-background">
          <h2 className="border-b px-4 py-2.5 font-semibold">Customers</h2>
          {c.customers.length === 0 ? (
            <p className="p-4 text-sm text-muted-foreground">
              No customers yet: set the company from a customer's profile.
            </p>
          ) : (
            <ul className="divide-y" data-testid="company-customers">
              {c.customers.map((m) => (
                <li key={m.id}>
                  <Link
                    href={`/customers/${m.id}`}
                    className="block px-4 py-2 text-sm hover:bg-accent"
                  >
                    <span className="font-medium">{customerLabel(m)}</span>
                    {m.email ? <span className="ml-2 text-muted-foreground">{m.email}</span> : null}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="rounded-lg border bg-background">
          <h2 className="border-b px-4 py-2.5 font-semibold">Conversations</h2>
          {c.conversations.length === 0 ? (
            <p className="p-4 text-sm text-muted-foreground">No conversations yet.</p>
          ) : (
            <ul className="divide-y">
              {c.conversations.map((conv) => (
                <li key={conv.id}>
                  <Link
                    href={`/inbox/${conv.id}`}
                    className="flex justify-between gap-2 px-4 py-2 text-sm hover:bg-accent"
                  >
                    <span className="truncate">
                      {names.get(conv.customerId)}
                      {conv.subject ? ` · ${conv.subject}` : ""}
                    </span>
                    <span className="shrink-0 text-xs capitalize text-muted-foreground">
                      {conv.status} · {shortAge(conv.lastActivityAt)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
