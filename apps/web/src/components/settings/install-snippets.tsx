"use client";

import { CodeBlock } from "./code-block";
import { Section } from "./fields";

export function scriptSnippet({ origin, accountId, inboxId }: SnippetInput): string {
  return `<script
  src="${origin}/widget.js"
  data-token="${accountId}"
  data-inbox="${inboxId}"
  async
></script>`;
}

export function reactSnippet({ origin, accountId, inboxId }: SnippetInput): string {
  return `import { ChatWidget } from "@netia/widget";

export function Support() {
  return (
    <ChatWidget
      token="${accountId}"
      inbox="${inboxId}"
      baseUrl="${origin}"
    />
  );
}`;
}

type SnippetInput = { origin: string; accountId: string; inboxId: string };

/** How to put this inbox's widget on a website: the script tag, or the React component. */
export function InstallSnippets(input: SnippetInput) {
  return (
    <Section
      id="install"
      title="Install"
      description="Add the widget to your website. The account token is public: it only lets visitors write to you."
    >
      <div className="grid grid-cols-1 gap-2">
        <h3 className="text-sm font-medium">Any website</h3>
        <p className="text-sm text-muted-foreground">
          Paste this before the closing <code className="font-mono text-xs">&lt;/body&gt;</code> tag
          of every page that should show the chat.
        </p>
        <CodeBlock
          title="HTML"
          code={scriptSnippet(input)}
          copyLabel="script tag"
          testId="snippet-script"
        />
      </div>
      <div className="grid grid-cols-1 gap-2">
        <h3 className="text-sm font-medium">React</h3>
        <p className="text-sm text-muted-foreground">
          Install the package, then render the component once, anywhere (in Next.js, from a client
          component).
        </p>
        <CodeBlock
          title="Terminal"
          code="npm install @netia/widget"
          copyLabel="install command"
          testId="snippet-npm"
        />
        <CodeBlock
          title="React"
          code={reactSnippet(input)}
          copyLabel="React component"
          testId="snippet-react"
        />
      </div>
    </Section>
  );
}
