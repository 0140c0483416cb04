"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye, EyeOff, RefreshCw, TriangleAlert } from "lucide-react";
import { useId, useRef, useState } from "react";
import { ErrorMessage } from "@/components/error-message";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { type RouterOutputs, useTRPC } from "@/lib/trpc";
import { cn } from "@/lib/utils";
import { CodeBlock, CopyButton } from "./code-block";
import { Section, Switch } from "./fields";

type Inbox = RouterOutputs["inboxes"]["list"][number];

const SERVER_SAMPLES = [
  {
    id: "node",
    label: "Node.js",
    code: `import { createHmac } from "node:crypto";

// user.id: exactly the external_id you give the widget
const identityHash = createHmac("sha256", process.env.NETIA_IDENTITY_SECRET)
  .update(String(user.id))
  .digest("hex");`,
  },
  {
    id: "python",
    label: "Python",
    code: `import hashlib
import hmac
import os

# user.id: exactly the external_id you give the widget
identity_hash = hmac.new(
    os.environ["NETIA_IDENTITY_SECRET"].encode(),
    str(user.id).encode(),
    hashlib.sha256,
).hexdigest()`,
  },
  {
    id: "ruby",
    label: "Ruby",
    code: `require "openssl"

# user.id: exactly the external_id you give the widget
identity_hash = OpenSSL::HMAC.hexdigest(
  "SHA256",
  ENV.fetch("NETIA_IDENTITY_SECRET"),
  user.id.to_s
)`,
  },
  {
    id: "php",
    label: "PHP",
    code: `<?php
// $user->id: exactly the external_id you give the widget
$identityHash = hash_hmac(
    'sha256',
    (string) $user->id,
    getenv('NETIA_IDENTITY_SECRET')
);`,
  },
] as const;

function widgetSamples(accountId: string, inboxId: string) {
  return [
    {
      id: "script",
      label: "Script tag",
      code: `<script>
  // Before the widget's script tag, rendered by your server:
  window.Netia = {
    token: "${accountId}",
    inbox: "${inboxId}",
    customer: { external_id: "USER_ID", email: "ada@example.com", name: "Ada" },
    identityHash: "IDENTITY_HASH",
  };
</script>

<script>
  // Or once the widget has loaded, when the visitor logs in:
  Netia.identify({ external_id: "USER_ID", email: "ada@example.com" }, "IDENTITY_HASH");
</script>`,
    },
    {
      id: "react",
      label: "React",
      code: `<ChatWidget
  token="${accountId}"
  inbox="${inboxId}"
  customer={{ external_id: user.id, email: user.email, name: user.name }}
  identityHash={user.netiaIdentityHash} // computed on your server
/>`,
    },
  ];
}

/** Tabs over code samples (arrow keys, Home and End move between them). */
function CodeTabs({
  label,
  samples,
  testId,
}: {
  label: string;
  samples: readonly { id: string; label: string; code: string }[];
  testId: string;
}) {
  const base = useId();
  const [selected, setSelected] = useState(samples[0]!.id);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: React.KeyboardEvent, index: number) => {
    const last = samples.length - 1;
    const next =
      e.key === "ArrowRight"
        ? index === last
          ? 0
          : index + 1
        : e.key === "ArrowLeft"
          ? index === 0
            ? last
            : index - 1
          : e.key === "Home"
            ? 0
            : e.key === "End"
              ? last
              : null;
    if (next === null) return;
    e.preventDefault();
    setSelected(samples[next]!.id);
    tabs.current[next]?.focus();
  };
  const current = samples.find((s) => s.id === selected) ?? samples[0]!;
  return (
    <div className="grid grid-cols-1 gap-2" data-testid={testId}>
      <div role="tablist" aria-label={label} className="flex flex-wrap gap-1 border-b">
        {samples.map((sample, index) => (
          <button
            key={sample.id}
            ref={(el) => {
              tabs.current[index] = el;
            }}
            type="button"
            role="tab"
            id={`${base}-${sample.id}-tab`}
            aria-selected={sample.id === selected}
            aria-controls={`${base}-${sample.id}-panel`}
            tabIndex={sample.id === selected ? 0 : -1}
            onClick={() => setSelected(sample.id)}
            onKeyDown={(e) => onKeyDown(e, index)}
            className={cn(
              "-mb-px border-b-2 px-3 py-1.5 text-sm font-medium text-muted-foreground outline-none transition-colors hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring",
              sample.id === selected && "border-primary text-foreground",
              sample.id !== selected && "border-transparent",
            )}
          >
            {sample.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-${current.id}-panel`}
        aria-labelledby={`${base}-${current.id}-tab`}
      >
        <CodeBlock
          title={current.label}
          code={current.code}
          copyLabel={`${current.label} sample`}
          testId={`${testId}-${current.id}`}
        />
      </div>
    </div>
  );
}

/** The inbox's identity secret: masked, revealed on demand, copyable, rotatable. */
function IdentitySecret({ inboxId }: { inboxId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inbox = useQuery(trpc.inboxes.get.queryOptions({ id: inboxId }));
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState(false);
  const rotateButton = useRef<HTMLButtonElement>(null);
  const rotate = useMutation(
    trpc.inboxes.rotateIdentitySecret.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.inboxes.get.queryKey({ id: inboxId }), data);
        setConfirming(false);
        setRotated(true);
        setRevealed(true);
        rotateButton.current?.focus();
      },
    }),
  );
  const secretId = useId();
  if (inbox.isError) return <ErrorMessage error={inbox.error} />;
  const secret = inbox.data?.identitySecret;

  return (
    <div className="grid grid-cols-1 gap-2">
      <label htmlFor={secretId} className="text-sm font-medium">
        Identity secret
      </label>
      <div className="flex flex-wrap items-center gap-2">
        <Input
          id={secretId}
          readOnly
          type={revealed ? "text" : "password"}
          value={secret ?? ""}
          placeholder={secret ? undefined : "Loading…"}
          spellCheck={false}
          autoComplete="off"
          className="min-w-0 flex-1 basis-64 bg-muted font-mono text-xs"
          data-testid="identity-secret"
        />
        <Button
          type="button"
          variant="outline"
          size="sm"
          aria-pressed={revealed}
          disabled={!secret}
          onClick={() => setRevealed((r) => !r)}
          data-testid="identity-secret-reveal"
        >
          {revealed ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
          {revealed ? "Hide" : "Reveal"}
        </Button>
        {secret ? <CopyButton text={secret} label="identity secret" /> : null}
        <Button
          ref={rotateButton}
          type="button"
          variant="outline"
          size="sm"
          disabled={!secret || rotate.isPending}
          onClick={() => {
            setConfirming(true);
            setRotated(false);
          }}
          aria-expanded={confirming}
          data-testid="identity-secret-rotate"
        >
          <RefreshCw aria-hidden />
          Rotate…
        </Button>
      </div>
      <p className="text-xs text-muted-foreground">
        Keep it on your server (e.g. as <code className="font-mono">NETIA_IDENTITY_SECRET</code>);
        never put it in a web page or an app.
      </p>
      {confirming ? (
        <div
          role="alertdialog"
          aria-labelledby={`${secretId}-confirm-title`}
          aria-describedby={`${secretId}-confirm-text`}
          className="grid gap-3 rounded-lg border border-warning/60 bg-warning-soft p-4 text-warning-foreground"
          data-testid="identity-secret-confirm"
        >
          <p id={`${secretId}-confirm-title`} className="flex items-center gap-2 font-medium">
            <TriangleAlert className="size-4" aria-hidden />
            Rotate the identity secret?
          </p>
          <p id={`${secretId}-confirm-text`} className="text-sm">
            A new secret replaces the current one at once: identity hashes your server made with the
            old secret stop working, and visitors who need verification are treated as anonymous
            until your server uses the new one.
          </p>
          <ErrorMessage error={rotate.error} />
          <div className="flex gap-2">
            <Button
              type="button"
              variant="destructive"
              size="sm"
              autoFocus
              disabled={rotate.isPending}
              onClick={() => rotate.mutate({ id: inboxId })}
              data-testid="identity-secret-rotate-confirm"
            >
              {rotate.isPending ? "Rotating…" : "Rotate secret"}
            </Button>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => {
                setConfirming(false);
                rotateButton.current?.focus();
              }}
            >
              Cancel
            </Button>
          </div>
        </div>
      ) : null}
      {rotated ? (
        <p
          role="status"
          className="text-sm text-success-foreground"
          data-testid="identity-secret-rotated"
        >
          New secret created. Update it on your server now.
        </p>
      ) : null}
    </div>
  );
}

export function IdentityVerification({
  inbox,
  accountId,
  isAdmin,
}: {
  inbox: Inbox;
  accountId: string;
  isAdmin: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const update = useMutation(
    trpc.inboxes.update.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.inboxes.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.inboxes.get.queryKey({ id: inbox.id }) }),
        ]),
    }),
  );
  const required = update.isPending
    ? (update.variables?.requireIdentityVerification ?? inbox.requireIdentityVerification)
    : inbox.requireIdentityVerification;

  return (
    <Section
      id="identity"
      title="Identity verification"
      description="Proves that a logged-in visitor is who your site says, so nobody can read another customer's conversations by claiming their id."
      actions={
        <Badge variant={required ? "success" : "secondary"} data-testid="identity-status">
          {required ? "Required" : "Off"}
        </Badge>
      }
    >
      <Switch
        label="Require identity verification"
        hint="Visitors who give an external_id without a valid identityHash stay anonymous and never see that customer's conversations."
        checked={required}
        disabled={!isAdmin || update.isPending}
        onChange={(checked) =>
          update.mutate({ id: inbox.id, requireIdentityVerification: checked })
        }
        testId="require-identity-verification"
      />
      <ErrorMessage error={update.error} />
      {isAdmin ? (
        <IdentitySecret inboxId={inbox.id} />
      ) : (
        <p className="text-sm text-muted-foreground">
          Only admins can see the identity secret and change this setting.
        </p>
      )}
      <div className="grid grid-cols-1 gap-2">
        <h3 className="text-sm font-medium">1. Compute the hash on your server</h3>
        <p className="text-sm text-muted-foreground">
          <code className="font-mono text-xs [overflow-wrap:anywhere]">
            identityHash = HMAC-SHA256(secret, external_id)
          </code>
          , in hex, for the logged-in user.
        </p>
        <CodeTabs label="Server language" samples={SERVER_SAMPLES} testId="hash-sample" />
      </div>
      <div className="grid grid-cols-1 gap-2">
        <h3 className="text-sm font-medium">2. Give it to the widget with the same id</h3>
        <CodeTabs
          label="Widget"
          samples={widgetSamples(accountId, inbox.id)}
          testId="identify-sample"
        />
      </div>
    </Section>
  );
}
