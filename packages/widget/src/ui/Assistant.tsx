// The AI assistant in the chat: its name with an "AI" mark (so a visitor
// always knows a reply is not from a person), the reply being written, the
// articles a reply cites, and the way to a person.
import { useState } from "react";
import { citationsOf } from "../citations";
import type { AssistantDraft, WidgetController, WidgetState } from "../controller";
import { Markdown } from "./Markdown";

export function AiMark({ state }: { state: WidgetState }) {
  return <span className="nw-ai">{state.strings.aiMark}</span>;
}

/** The assistant's name above the first of its replies in a row. */
export function BotName({ state }: { state: WidgetState }) {
  return (
    <div className="nw-from" data-testid="netia-bot-name">
      {state.assistant?.name ?? state.strings.bot} <AiMark state={state} />
    </div>
  );
}

/**
 * A reply as it streams in. Hidden from screen readers while it grows (every
 * token would be read out); the stored reply that replaces it is announced.
 */
export function DraftRow({
  draft,
  state,
  showName,
}: {
  draft: AssistantDraft;
  state: WidgetState;
  showName: boolean;
}) {
  if (!draft.text) return null;
  return (
    <div
      className="nw-row them bot draft"
      data-testid="netia-draft"
      data-stream-id={draft.streamId}
      aria-hidden="true"
    >
      {showName && <BotName state={state} />}
      <div className="nw-msg">
        <Markdown source={draft.text} />
      </div>
    </div>
  );
}

/** The knowledge-base articles a reply is grounded in; only http(s) links. */
export function Citations({
  metadata,
  state,
}: {
  metadata: Record<string, unknown>;
  state: WidgetState;
}) {
  const citations = citationsOf(metadata);
  if (citations.length === 0) return null;
  return (
    <div className="nw-sources" data-testid="netia-sources">
      <span>{state.strings.sources}</span>
      <ul aria-label={state.strings.sources}>
        {citations.map((c) => (
          <li key={c.key}>
            {c.href ? (
              <a href={c.href} target="_blank" rel="noopener noreferrer">
                {c.title}
              </a>
            ) : (
              c.title
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "Talk to a person", while the assistant answers the shown conversation. */
export function TalkToPerson({
  controller,
  state,
}: {
  controller: WidgetController;
  state: WidgetState;
}) {
  const [asking, setAsking] = useState(false);
  if (!state.assistant || state.answeredBy !== "assistant" || !state.activeId) return null;
  return (
    <div className="nw-handoff">
      <button
        type="button"
        data-testid="netia-talk-to-person"
        disabled={asking}
        onClick={() => {
          setAsking(true);
          void controller.talkToPerson().finally(() => setAsking(false));
        }}
      >
        {state.strings.talkToPerson}
      </button>
    </div>
  );
}

export function HandoffLine({ state }: { state: WidgetState }) {
  return (
    <div className="nw-system" role="status" data-testid="netia-handed-off">
      {state.strings.handedOff}
    </div>
  );
}
