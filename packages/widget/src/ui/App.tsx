// The widget's UI, written against React's API: the script-tag build renders
// it with Preact (preact/compat), the npm build with the host's React.
import {
  type CSSProperties,
  type KeyboardEvent,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from "react";
import {
  type AssistantDraft,
  isQuickReplies,
  MAX_ATTACHMENT_BYTES,
  type OutboxItem,
  previewOf,
  type WidgetController,
  type WidgetState,
} from "../controller";
import { plainText, safeHref } from "../markdown";
import { type NetiaAttachment, type NetiaMessage, template } from "../options";
import { ICONS, textOn } from "../styles";
import { AiMark, BotName, Citations, DraftRow, HandoffLine, TalkToPerson } from "./Assistant";
import { Markdown } from "./Markdown";

function useWidgetState(controller: WidgetController): WidgetState {
  const [, setTick] = useState(0);
  useEffect(() => {
    const off = controller.subscribe(() => setTick((n) => n + 1));
    setTick((n) => n + 1);
    return off;
  }, [controller]);
  return controller.state;
}

function Icon({ svg }: { svg: string }) {
  // Our own constant markup (never message content).
  // biome-ignore lint/security/noDangerouslySetInnerHtml: static icon
  return <span style={{ display: "contents" }} dangerouslySetInnerHTML={{ __html: svg }} />;
}

const SVG = {
  list: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true"><path d="M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01"/></svg>',
  back: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M15 18l-6-6 6-6"/></svg>',
  clip: '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21.4 11.6l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5"/></svg>',
};

const time = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? ""
    : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
};

export function App({ controller }: { controller: WidgetController }) {
  const state = useWidgetState(controller);
  const { settings, strings, open } = state;
  const layout = controller.layout;
  const launcherRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (!open && returnFocus.current) {
      returnFocus.current = false;
      launcherRef.current?.focus();
    }
  }, [open]);

  const closeFromInside = () => {
    returnFocus.current = true;
    controller.close();
  };

  const hidden =
    settings.hideOutsideWorkingHours &&
    state.agentsOnline === false &&
    state.messages.length === 0 &&
    !open;
  const style = {
    "--nw-primary": settings.primaryColor,
    "--nw-on": textOn(settings.primaryColor),
    "--nw-x": `${layout.x}px`,
    "--nw-y": `${layout.y}px`,
    "--nw-z": String(layout.z),
  } as CSSProperties;
  const unread = state.unread.length;
  const showPreview = !open && !hidden && (unread > 0 || state.popup);
  const classes = ["nw", settings.position === "left" ? "left" : "right"];
  if (open) classes.push("open");
  if (layout.hideToggleButton) classes.push("bare");
  if (controller.preview) classes.push("preview");

  return (
    <div className={classes.join(" ")} style={style} data-netia-state={state.phase}>
      {open && <Panel controller={controller} state={state} onClose={closeFromInside} />}
      {showPreview && <Preview controller={controller} state={state} />}
      {!layout.hideToggleButton && !hidden && (
        <button
          ref={launcherRef}
          type="button"
          className="nw-launcher"
          data-testid="netia-launcher"
          aria-expanded={open}
          aria-controls="nw-panel"
          aria-label={
            open
              ? strings.closeChat
              : unread > 0
                ? `${strings.openChat}, ${unread === 1 ? strings.unreadOne : template(strings.unreadMany, { count: unread })}`
                : strings.openChat
          }
          onClick={() => (open ? closeFromInside() : controller.open())}
        >
          {open ? (
            <Icon svg={ICONS.close} />
          ) : settings.customIconUrl && safeHref(settings.customIconUrl) ? (
            <img src={safeHref(settings.customIconUrl)!} alt="" />
          ) : (
            <Icon svg={ICONS[settings.iconVariant === "filled" ? "filled" : "outlined"]} />
          )}
          {!open && unread > 0 && (
            <span className="nw-badge" data-testid="netia-badge" aria-hidden="true">
              {unread > 99 ? "99+" : unread}
            </span>
          )}
        </button>
      )}
    </div>
  );
}

function Preview({ controller, state }: { controller: WidgetController; state: WidgetState }) {
  const { strings, settings } = state;
  const lines = state.unread.length > 0 ? previewOf(state.unread) : [plainText(settings.greeting)];
  return (
    <div className="nw-preview-wrap" aria-live="polite">
      <button
        type="button"
        className="nw-preview"
        data-testid="netia-preview"
        onClick={() => controller.open()}
      >
        {lines.map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list of up to two lines
          <p key={i}>{line}</p>
        ))}
        {state.unread.length > 0 && settings.newMessagesNotificationText && (
          <span className="nw-cta">{settings.newMessagesNotificationText}</span>
        )}
      </button>
      {state.unread.length === 0 && (
        <button
          type="button"
          className="nw-icon nw-preview-close"
          aria-label={strings.closeChat}
          onClick={() => controller.dismissPopup()}
        >
          <Icon svg={ICONS.close} />
        </button>
      )}
    </div>
  );
}

function Panel({
  controller,
  state,
  onClose,
}: {
  controller: WidgetController;
  state: WidgetState;
  onClose: () => void;
}) {
  const { settings, strings } = state;
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      onClose();
    }
  };
  const showAvailability = settings.showAgentAvailability && state.agentsOnline !== null;
  return (
    <div
      id="nw-panel"
      className="nw-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="nw-title"
      data-testid="netia-panel"
      onKeyDown={onKeyDown}
    >
      <div className="nw-head">
        {state.view === "list" && (
          <button
            type="button"
            className="nw-icon"
            aria-label={strings.backToChat}
            onClick={() => controller.showChat()}
          >
            <Icon svg={SVG.back} />
          </button>
        )}
        <div className="nw-head-text">
          <h2 id="nw-title">{state.view === "list" ? strings.conversations : settings.title}</h2>
          {state.view === "chat" && settings.subtitle && <p>{settings.subtitle}</p>}
          {showAvailability && (
            <div className="nw-avail" data-testid="netia-availability">
              <span className={`nw-dot${state.agentsOnline ? " on" : ""}`} aria-hidden="true" />
              {state.agentsOnline ? settings.agentAvailableText : settings.agentUnavailableText}
            </div>
          )}
        </div>
        {state.view === "chat" && (
          <button
            type="button"
            className="nw-icon"
            aria-label={strings.conversations}
            data-testid="netia-show-list"
            onClick={() => controller.showList()}
          >
            <Icon svg={SVG.list} />
          </button>
        )}
        <button
          type="button"
          className="nw-icon"
          aria-label={strings.closeChat}
          data-testid="netia-close"
          onClick={onClose}
        >
          <Icon svg={ICONS.close} />
        </button>
      </div>
      {state.connection === "offline" && (
        <div className="nw-banner" role="status" data-testid="netia-offline">
          {strings.reconnecting}
        </div>
      )}
      {state.phase === "error" && (
        <div className="nw-notice" role="alert">
          {strings.loadFailed}
        </div>
      )}
      {state.notice && (
        <div className="nw-notice" role="alert">
          <span>{state.notice}</span>
          <button type="button" onClick={() => controller.clearNotice()}>
            OK
          </button>
        </div>
      )}
      <div className="nw-body">
        {state.view === "list" ? (
          <ConversationList controller={controller} state={state} />
        ) : (
          <Chat controller={controller} state={state} />
        )}
      </div>
      {!settings.isBrandingHidden && <div className="nw-brand">{strings.poweredBy}</div>}
    </div>
  );
}

function ConversationList({
  controller,
  state,
}: {
  controller: WidgetController;
  state: WidgetState;
}) {
  const { strings } = state;
  const firstRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    firstRef.current?.focus();
  }, []);
  return (
    <>
      <button
        ref={firstRef}
        type="button"
        className="nw-btn nw-new"
        data-testid="netia-new-conversation"
        onClick={() => controller.newConversation()}
      >
        {strings.newConversation}
      </button>
      {state.conversations.length === 0 ? (
        <p className="nw-empty">{strings.noConversations}</p>
      ) : (
        <ul className="nw-list" aria-label={strings.conversations}>
          {state.conversations.map((c) => (
            <li key={c.id}>
              <button
                type="button"
                data-testid="netia-conversation"
                data-conversation-id={c.id}
                aria-current={c.id === state.activeId ? "true" : undefined}
                onClick={() => void controller.openConversation(c.id)}
              >
                <span className="nw-when">{new Date(c.lastActivityAt).toLocaleDateString()}</span>
                <span className="nw-snippet">
                  {c.lastMessage
                    ? `${c.lastMessage.senderType === "customer" ? `${strings.you}: ` : ""}${plainText(c.lastMessage.body)}`
                    : strings.newConversation}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

type Row =
  | { kind: "message"; message: NetiaMessage }
  | { kind: "pending"; item: OutboxItem }
  | { kind: "greeting"; text: string }
  | { kind: "draft"; draft: AssistantDraft }
  | { kind: "handoff" };

const isBot = (row: Row | undefined) =>
  row?.kind === "draft" || (row?.kind === "message" && row.message.senderType === "bot");

function Chat({ controller, state }: { controller: WidgetController; state: WidgetState }) {
  const { settings, strings } = state;
  const logRef = useRef<HTMLDivElement>(null);
  const pending = state.outbox.filter((o) =>
    state.activeId
      ? o.conversationId === state.activeId
      : o.draft === state.draft && !o.conversationId,
  );
  const rows: Row[] = [];
  if (settings.greeting) rows.push({ kind: "greeting", text: settings.greeting });
  // The "we've let the team know" line sits where the visitor asked for a person.
  const handoff = state.handoff?.conversationId === state.activeId ? state.handoff : null;
  let handoffShown = !handoff;
  for (const message of state.messages) {
    if (!handoffShown && handoff && message.seq > handoff.afterSeq) {
      rows.push({ kind: "handoff" });
      handoffShown = true;
    }
    rows.push({ kind: "message", message });
  }
  if (!handoffShown) rows.push({ kind: "handoff" });
  for (const draft of state.drafts) rows.push({ kind: "draft", draft });
  for (const item of pending) rows.push({ kind: "pending", item });

  const last = state.messages[state.messages.length - 1];
  const quickReplies =
    pending.length === 0 &&
    last &&
    last.senderType !== "customer" &&
    isQuickReplies(last.metadata?.quickReplies)
      ? (last.metadata.quickReplies as string[])
      : null;
  const visitorWrote =
    state.messages.some((m) => m.senderType === "customer") || pending.length > 0;
  // Outside working hours the account's message says when the team is back;
  // otherwise the inbox's own away message shows while no agent is online.
  const away =
    state.outsideHoursMessage ||
    (state.agentsOnline === false && settings.awayMessage ? settings.awayMessage : null);
  const askEmailUpfront =
    settings.requireEmailUpfront && !state.email && !state.activeId && pending.length === 0;
  const askEmail = !askEmailUpfront && state.agentsOnline === false && !state.email && visitorWrote;

  // biome-ignore lint/correctness/useExhaustiveDependencies: scrolls down when any of these change
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log) log.scrollTop = log.scrollHeight;
  }, [
    rows.length,
    state.typing,
    quickReplies?.length,
    state.drafts.map((d) => d.text.length).join(),
  ]);

  return (
    <>
      <div
        ref={logRef}
        className="nw-log"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={strings.messages}
        data-testid="netia-log"
        data-loading={state.loadingMessages ? "true" : undefined}
      >
        {away && (
          <div className="nw-away" data-testid="netia-away">
            <Markdown source={away} />
          </div>
        )}
        {rows.map((row, i) => {
          const next = rows[i + 1];
          const mine =
            row.kind === "pending" ||
            (row.kind === "message" && row.message.senderType === "customer");
          const nextMine =
            next &&
            (next.kind === "pending" ||
              (next.kind === "message" && next.message.senderType === "customer"));
          const endOfGroup = !next || nextMine !== mine;
          if (row.kind === "handoff") return <HandoffLine key="handoff" state={state} />;
          if (row.kind === "draft") {
            return (
              <DraftRow
                key={`draft:${row.draft.streamId}`}
                draft={row.draft}
                state={state}
                showName={!isBot(rows[i - 1])}
              />
            );
          }
          if (row.kind === "greeting") {
            return (
              <div key="greeting" className="nw-row them" data-testid="netia-greeting">
                <div className="nw-msg">
                  <Markdown source={row.text} />
                </div>
              </div>
            );
          }
          if (row.kind === "pending") {
            return (
              <PendingRow
                key={row.item.clientMessageId}
                item={row.item}
                state={state}
                controller={controller}
              />
            );
          }
          return (
            <MessageRow
              key={row.message.id}
              message={row.message}
              state={state}
              showMeta={endOfGroup}
              showName={!isBot(rows[i - 1])}
              base={controller.baseUrl}
            />
          );
        })}
        {quickReplies && (
          <ul
            className="nw-quick"
            aria-label={strings.quickReplies}
            data-testid="netia-quick-replies"
          >
            {quickReplies.map((reply) => (
              <li key={reply}>
                <button type="button" onClick={() => controller.send(reply)}>
                  {reply}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div
        className={`nw-typing${state.typing?.bot ? " bot" : ""}`}
        aria-live="polite"
        data-testid="netia-typing"
      >
        {state.typing?.bot && <AiMark state={state} />}
        {state.typing
          ? `${state.typing.name || (state.typing.bot ? (state.assistant?.name ?? strings.bot) : strings.agent)} ${strings.typing}`
          : ""}
      </div>
      <TalkToPerson controller={controller} state={state} />
      {askEmailUpfront || askEmail ? (
        <EmailForm controller={controller} state={state} upfront={!!askEmailUpfront} />
      ) : null}
      {!askEmailUpfront && <Composer controller={controller} state={state} />}
    </>
  );
}

/** Attachment URLs are paths on the Netia server. */
function fileHref(url: string, base: string): string | null {
  try {
    return safeHref(new URL(url, `${base}/`).href);
  } catch {
    return null;
  }
}

function Attachments({ files, base }: { files: NetiaAttachment[] | undefined; base: string }) {
  if (!files?.length) return null;
  return (
    <div className="nw-files">
      {files.map((file) => {
        const href = fileHref(file.url, base);
        if (!href) return <span key={file.id}>{file.filename}</span>;
        return /^image\/(png|jpe?g|gif|webp)$/.test(file.contentType) ? (
          <a key={file.id} href={href} target="_blank" rel="noopener noreferrer">
            <img src={href} alt={file.filename} loading="lazy" />
          </a>
        ) : (
          <a key={file.id} href={href} target="_blank" rel="noopener noreferrer">
            {file.filename}
          </a>
        );
      })}
    </div>
  );
}

function MessageRow({
  message,
  state,
  showMeta,
  showName,
  base,
}: {
  message: NetiaMessage;
  state: WidgetState;
  showMeta: boolean;
  /** The first of the assistant's messages in a row carries its name. */
  showName: boolean;
  base: string;
}) {
  const { strings } = state;
  const mine = message.senderType === "customer";
  const bot = message.senderType === "bot";
  const who = mine
    ? strings.you
    : bot
      ? `${state.assistant?.name ?? strings.bot} (${strings.aiMark})`
      : strings.agent;
  return (
    <div
      className={`nw-row ${mine ? "me" : "them"}${bot ? " bot" : ""}`}
      data-testid="netia-message"
      data-message-id={message.id}
      data-sender={message.senderType}
      data-status="sent"
    >
      {bot && showName && <BotName state={state} />}
      <div className="nw-msg">
        <span className="nw-sr">{who}: </span>
        <Markdown source={message.body} />
        <Attachments files={message.attachments} base={base} />
      </div>
      {bot && <Citations metadata={message.metadata} state={state} />}
      {showMeta && (
        <div className="nw-meta">
          <time dateTime={message.createdAt}>{time(message.createdAt)}</time>
        </div>
      )}
    </div>
  );
}

function PendingRow({
  item,
  state,
  controller,
}: {
  item: OutboxItem;
  state: WidgetState;
  controller: WidgetController;
}) {
  const { strings } = state;
  const status = item.failed ? "failed" : state.connection === "online" ? "sending" : "queued";
  return (
    <div
      className={`nw-row me ${item.failed ? "failed" : "pending"}`}
      data-testid="netia-message"
      data-sender="customer"
      data-status={status}
      data-client-message-id={item.clientMessageId}
    >
      <div className="nw-msg">
        <span className="nw-sr">{strings.you}: </span>
        <Markdown source={item.body} />
        <Attachments files={item.attachments} base={controller.baseUrl} />
      </div>
      <div className="nw-meta">
        {item.failed ? (
          <>
            <span title={item.failed}>{strings.failed}</span>
            <button type="button" onClick={() => controller.retry(item.clientMessageId)}>
              {strings.retry}
            </button>
          </>
        ) : (
          <span>{status === "sending" ? strings.sending : strings.queued}</span>
        )}
      </div>
    </div>
  );
}

function EmailForm({
  controller,
  state,
  upfront,
}: {
  controller: WidgetController;
  state: WidgetState;
  upfront: boolean;
}) {
  const { strings, settings } = state;
  const [value, setValue] = useState("");
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (upfront) inputRef.current?.focus();
  }, [upfront]);
  return (
    <form
      className="nw-form"
      data-testid="netia-email-form"
      onSubmit={(e) => {
        e.preventDefault();
        void controller.submitEmail(value);
      }}
    >
      <p id="nw-email-prompt">{upfront ? strings.emailUpfrontPrompt : strings.emailPrompt}</p>
      <div className="nw-form-row">
        <input
          ref={inputRef}
          className="nw-input"
          type="email"
          autoComplete="email"
          required
          aria-label={strings.emailLabel}
          aria-describedby="nw-email-prompt"
          placeholder={settings.emailInputPlaceholder}
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          onChange={(e) => setValue((e.target as HTMLInputElement).value)}
        />
        <button type="submit" className="nw-btn">
          {strings.emailSave}
        </button>
      </div>
    </form>
  );
}

function Composer({ controller, state }: { controller: WidgetController; state: WidgetState }) {
  const { strings, settings } = state;
  const [text, setText] = useState("");
  const [files, setFiles] = useState<NetiaAttachment[]>([]);
  const [uploading, setUploading] = useState(false);
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const startingNew = state.activeId === null;
  const opened = state.opened;
  // Focus moves in when the visitor opens the chat or starts a conversation,
  // never on its own when the page loads with the chat open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: also when a new conversation starts
  useEffect(() => {
    const area = areaRef.current;
    if (!area) return;
    const root = area.getRootNode();
    const focusInside = root instanceof ShadowRoot && document.activeElement === root.host;
    if (opened > 0 || focusInside) area.focus();
  }, [opened, startingNew]);

  const autosize = () => {
    const area = areaRef.current;
    if (!area) return;
    area.style.height = "38px";
    area.style.height = `${Math.min(area.scrollHeight, 140)}px`;
  };

  const submit = () => {
    if (uploading) return;
    if (controller.send(text, files)) {
      setText("");
      setFiles([]);
      if (areaRef.current) {
        areaRef.current.value = "";
        autosize();
      }
    }
  };

  const onFile = async (list: FileList | null) => {
    const file = list?.[0];
    if (fileRef.current) fileRef.current.value = "";
    if (!file) return;
    if (file.size > MAX_ATTACHMENT_BYTES) {
      await controller.upload(file); // reports the limit
      return;
    }
    setUploading(true);
    const uploaded = await controller.upload(file);
    setUploading(false);
    if (uploaded) setFiles((prev) => [...prev, uploaded]);
  };

  return (
    <>
      {(files.length > 0 || uploading) && (
        <div className="nw-chips">
          {files.map((f) => (
            <span key={f.id} className="nw-chip">
              {f.filename}
              <button
                type="button"
                className="nw-icon"
                aria-label={`${strings.failed}: ${f.filename}`}
                onClick={() => setFiles((prev) => prev.filter((x) => x.id !== f.id))}
              >
                <Icon svg={ICONS.close} />
              </button>
            </span>
          ))}
          {uploading && <span className="nw-chip">{strings.uploading}</span>}
        </div>
      )}
      <form
        className="nw-composer"
        data-testid="netia-composer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <button
          type="button"
          className="nw-icon"
          aria-label={strings.attach}
          data-testid="netia-attach"
          onClick={() => fileRef.current?.click()}
        >
          <Icon svg={SVG.clip} />
        </button>
        <input
          ref={fileRef}
          type="file"
          hidden
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => void onFile((e.target as HTMLInputElement).files)}
        />
        <textarea
          ref={areaRef}
          rows={1}
          maxLength={10_000}
          aria-label={settings.newMessagePlaceholder || strings.send}
          placeholder={settings.newMessagePlaceholder}
          data-testid="netia-input"
          value={text}
          onInput={(e) => {
            setText((e.target as HTMLTextAreaElement).value);
            autosize();
            controller.typing();
          }}
          onChange={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button
          type="submit"
          className="nw-btn"
          data-testid="netia-send"
          disabled={uploading || (!text.trim() && files.length === 0)}
        >
          {strings.send}
        </button>
      </form>
    </>
  );
}
