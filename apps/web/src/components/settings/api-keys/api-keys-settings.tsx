"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useMe } from "@/components/auth/auth-gate";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { fullTime } from "@/lib/format";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { CopyButton } from "../code-block";
import { ConfirmButton } from "../confirm-button";
import { Section } from "../fields";
import { serverFieldErrors } from "../server-field-errors";
import { SettingsPage } from "../settings-page";
import { NewApiKeyForm } from "./new-api-key-form";

type ApiKey = RouterOutputs["apiKeys"]["list"][number];

/**
 * Settings → API keys (every member): keys that let a service act as you
 * through the API or @netia/sdk. Admins see and revoke every key of the account.
 */
export function ApiKeysSettingsPage() {
  const trpc = useTRPC();
  const isAdmin = useMe().role === "admin";
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  return (
    <SettingsPage
      title="API keys"
      description="Keys let your own services call Netia as you, through the API or @netia/sdk."
    >
      <NewApiKey isAdmin={isAdmin} />
      <Section
        title={isAdmin ? "The account's keys" : "Your keys"}
        description="A key is refused from the moment it is revoked, on every server."
      >
        {keys.isPending ? (
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Loading keys…
          </p>
        ) : keys.isError ? (
          <ErrorMessage error={keys.error} />
        ) : keys.data.length === 0 ? (
          <p className="text-sm text-muted-foreground" data-testid="api-keys-empty">
            No API keys yet.
          </p>
        ) : (
          <ul className="-my-3 divide-y" data-testid="api-key-list">
            {keys.data.map((key) => (
              <ApiKeyRow key={key.id} apiKey={key} showOwner={isAdmin} />
            ))}
          </ul>
        )}
      </Section>
    </SettingsPage>
  );
}

function NewApiKey({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formKey, setFormKey] = useState(0);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async () => {
        setFormKey((k) => k + 1);
        await queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
      },
    }),
  );
  const errors = serverFieldErrors(create.error);
  return (
    <Section title="New API key">
      {create.data ? (
        <div
          className="grid gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:bg-amber-950/30"
          data-testid="api-key-secret"
          role="status"
        >
          <p className="font-medium">
            Copy the key “{create.data.key.label}” now: it is shown only this once.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 break-all rounded bg-background px-2 py-1 font-mono text-xs">
              {create.data.secret}
            </code>
            <CopyButton text={create.data.secret} label="Copy the API key" testId="api-key-copy" />
          </div>
        </div>
      ) : null}
      <NewApiKeyForm
        key={formKey}
        isAdmin={isAdmin}
        pending={create.isPending}
        errors={errors}
        onSubmit={(draft) => create.mutate(draft)}
      />
      {Object.keys(errors).length > 0 ? null : <ErrorMessage error={create.error} />}
    </Section>
  );
}

function ApiKeyRow({ apiKey, showOwner }: { apiKey: ApiKey; showOwner: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() }),
    }),
  );
  const expired = apiKey.expiresAt !== null && new Date(apiKey.expiresAt).getTime() <= Date.now();
  const state = apiKey.revokedAt ? "Revoked" : expired ? "Expired" : null;
  return (
    <li
      className="flex flex-wrap items-start gap-3 py-3"
      data-testid="api-key-row"
      data-label={apiKey.label}
    >
      <div className="grid min-w-0 flex-1 gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{apiKey.label}</span>
          {apiKey.scopes.map((scope) => (
            <Badge key={scope} variant="secondary">
              {scope}
            </Badge>
          ))}
          {state ? <Badge variant="outline">{state}</Badge> : null}
        </div>
        <p className="text-sm text-muted-foreground">
          <code className="font-mono" data-testid="api-key-prefix">
            {apiKey.prefix}…
          </code>
          {showOwner ? ` · ${apiKey.ownerName}` : null}
          {" · "}
          <span data-testid="api-key-last-used">
            {apiKey.lastUsedAt ? `last used ${fullTime(apiKey.lastUsedAt)}` : "never used"}
          </span>
          {apiKey.expiresAt && !state ? ` · expires ${fullTime(apiKey.expiresAt)}` : null}
        </p>
      </div>
      {apiKey.revokedAt ? null : (
        <ConfirmButton
          label="Revoke"
          question={`Revoke “${apiKey.label}”?`}
          pending={revoke.isPending}
          onConfirm={() => revoke.mutate({ id: apiKey.id })}
          testId="api-key-revoke"
        />
      )}
      <ErrorMessage error={revoke.error} />
    </li>
  );
}
