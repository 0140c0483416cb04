// A fake Slack on a local port, for tests and benchmarks: a real HTTP server
// that speaks the parts of Slack's Web API Netia uses, so Slack's own client
// (@slack/web-api's WebClient with `slackApiUrl: fake.apiUrl`) runs against it
// unchanged, plus the Slack side of the requests Slack sends to an app
// (signed Events API callbacks and interactivity payloads):
//
//   const slack = await startFakeSlack({ clientId: "1.2", clientSecret: "s" });
//   const code = slack.authorize();                         // what the consent screen redirects with
//   const support = slack.addChannel({ name: "support" });  // the bot is a member unless told otherwise
//   const ana = slack.addUser({ name: "ana", email: "ana@acme.test" });
//   slack.thread(support.id, threadTs);                     // a thread as Slack shows it now
//   slack.rateLimitNext(5, 1);                              // the next 5 calls get 429, Retry-After: 1
//   const { envelope } = slack.userPosts({ user: ana.id, channel: support.id, text: "hi", threadTs });
//   await sendEvent(netiaEventsUrl, SIGNING_SECRET, envelope); // signed as Slack signs it
//   slack.revoke();                                         // every token: invalid_auth
//   await slack.close();
//
// Methods (POST, form-encoded or JSON, token as `Authorization: Bearer` or a
// `token` field; answers are HTTP 200 `{ok: false, error}` as Slack's are,
// 429 with Retry-After when rate-limited):
// oauth.v2.access, auth.test, auth.revoke, chat.postMessage, chat.update, users.info,
// users.lookupByEmail, conversations.info, conversations.list, conversations.join.
// GET /oauth/v2/authorize is the consent screen: it approves at once and
// redirects to redirect_uri with a code and the state (the browser's path).
// A leaf module: it imports nothing from the workspace.
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type FakeSlackUser = {
  id: string;
  teamId: string;
  name: string;
  realName: string;
  email: string | null;
  isBot: boolean;
  deleted: boolean;
};

export type FakeSlackChannel = {
  id: string;
  name: string;
  isPrivate: boolean;
  /** A Slack Connect channel shared with another organisation. */
  isShared: boolean;
  /** chat.postMessage answers not_in_channel until the bot is a member. */
  botIsMember: boolean;
  isArchived: boolean;
};

/** A message as Slack holds it now (chat.update changes text and blocks in place). */
export type FakeSlackMessage = {
  channel: string;
  ts: string;
  threadTs: string | null;
  text: string;
  blocks: unknown[] | null;
  /** Who posted it: a user id, or the bot's user id for what the app posted. */
  user: string;
  botId: string | null;
  /** Every version chat.update replaced, oldest first. */
  edits: Array<{ text: string; blocks: unknown[] | null }>;
  username: string | null;
};

export type RecordedSlackRequest = {
  method: string;
  /** The form or JSON fields, with nested JSON (blocks) still as sent. */
  params: Record<string, string>;
  token: string | null;
  at: number;
};

/** A failure the fake answers with instead of the method's result. */
export type FakeSlackFailure =
  | { kind: "error"; error: string }
  | { kind: "http"; status: number }
  | { kind: "ratelimited"; retryAfterSeconds: number };

export type FakeSlack = {
  /** Pass as WebClient's `slackApiUrl` (Netia's SLACK_API_URL); ends with a slash. */
  apiUrl: string;
  /** The workspace, and the app's bot user in it. */
  team: { id: string; name: string; domain: string; botUserId: string; botId: string };
  /** The bot token the last successful oauth.v2.access handed out (null before). */
  botToken: string | null;
  /** Bot scopes oauth.v2.access reports (what the consent screen granted). */
  scopes: string[];
  requests: RecordedSlackRequest[];
  /** A code for oauth.v2.access, as Slack's consent screen would redirect with. */
  authorize(options?: { redirectUri?: string }): string;
  addUser(user: {
    name: string;
    email?: string | null;
    realName?: string;
    id?: string;
    /** Another organisation's workspace (a Slack Connect guest). */
    teamId?: string;
    isBot?: boolean;
  }): FakeSlackUser;
  addChannel(channel: {
    name: string;
    id?: string;
    isPrivate?: boolean;
    isShared?: boolean;
    botIsMember?: boolean;
  }): FakeSlackChannel;
  users: Map<string, FakeSlackUser>;
  channels: Map<string, FakeSlackChannel>;
  /** Every message in every channel, in the order Slack accepted them. */
  messages: FakeSlackMessage[];
  /** Top-level messages of a channel, oldest first. */
  channelMessages(channel: string): FakeSlackMessage[];
  /** A thread: its parent first, then its replies, oldest first. */
  thread(channel: string, threadTs: string): FakeSlackMessage[];
  message(channel: string, ts: string): FakeSlackMessage | undefined;
  /**
   * A person writes in Slack: the message is stored as Slack would store it and
   * the Events API callback Slack would send for it is returned, unsigned.
   */
  userPosts(input: { user: string; channel: string; text: string; threadTs?: string }): {
    ts: string;
    envelope: SlackEventEnvelope;
  };
  /** The next `count` calls (those `match` accepts, else all) get 429 with Retry-After. */
  rateLimitNext(
    count: number,
    retryAfterSeconds: number,
    match?: (method: string) => boolean,
  ): void;
  /** The next `count` calls (those `match` accepts, else all) fail with `failure`. */
  failNext(count: number, failure: FakeSlackFailure, match?: (method: string) => boolean): void;
  /**
   * Called before every call is answered; a failure it returns is sent
   * instead, a promise delays the answer (a slow Slack).
   */
  onRequest:
    | ((
        request: RecordedSlackRequest,
      ) => FakeSlackFailure | undefined | Promise<FakeSlackFailure | undefined>)
    | null;
  /** Every token stops working: calls answer invalid_auth (the app was uninstalled). */
  revoke(): void;
  close(): Promise<void>;
};

export type FakeSlackOptions = {
  clientId: string;
  clientSecret: string;
  port?: number;
  teamId?: string;
  teamName?: string;
};

/** Slack's Events API envelope (type event_callback). */
export type SlackEventEnvelope = {
  token: string;
  team_id: string;
  api_app_id: string;
  event: Record<string, unknown>;
  type: "event_callback";
  event_id: string;
  event_time: number;
  event_context?: string;
};

const APP_ID = "A0NETIAAPP";
const DEFAULT_SCOPES = [
  "chat:write",
  "channels:read",
  "groups:read",
  "channels:history",
  "groups:history",
  "users:read",
  "users:read.email",
  "channels:join",
];

const randomId = (prefix: string) =>
  `${prefix}${randomBytes(6).toString("hex").toUpperCase().slice(0, 10)}`;

/** Slack's timestamps: seconds, a dot and six digits, unique and increasing within the fake. */
function tsClock() {
  let last = 0;
  return () => {
    const micros = Math.max(Date.now() * 1000, last + 1);
    last = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseParams(contentType: string | undefined, body: string): Record<string, string> {
  if (contentType?.includes("application/json")) {
    const parsed = JSON.parse(body || "{}") as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
  }
  return Object.fromEntries(new URLSearchParams(body));
}

function sendJson(res: ServerResponse, body: unknown, status = 200, headers = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeSlack(options: FakeSlackOptions): Promise<FakeSlack> {
  const nextTs = tsClock();
  const team = {
    id: options.teamId ?? randomId("T"),
    name: options.teamName ?? "Acme",
    domain: "acme",
    botUserId: randomId("U0BOT"),
    botId: randomId("B"),
  };
  const users = new Map<string, FakeSlackUser>();
  const channels = new Map<string, FakeSlackChannel>();
  const messages: FakeSlackMessage[] = [];
  const codes = new Map<string, { redirectUri: string | undefined }>();
  const validTokens = new Set<string>();
  const requests: RecordedSlackRequest[] = [];
  const queued: Array<{
    remaining: number;
    failure: FakeSlackFailure;
    match?: (method: string) => boolean;
  }> = [];
  const sockets = new Set<Socket>();

  users.set(team.botUserId, {
    id: team.botUserId,
    teamId: team.id,
    name: "netia",
    realName: "Netia",
    email: null,
    isBot: true,
    deleted: false,
  });

  const userJson = (u: FakeSlackUser) => ({
    id: u.id,
    team_id: u.teamId,
    name: u.name,
    real_name: u.realName,
    deleted: u.deleted,
    is_bot: u.isBot,
    profile: {
      real_name: u.realName,
      display_name: u.name,
      ...(u.email && { email: u.email }),
      image_72: `https://avatars.example/${u.id}.png`,
    },
  });

  const channelJson = (c: FakeSlackChannel) => ({
    id: c.id,
    name: c.name,
    is_channel: !c.isPrivate,
    is_group: c.isPrivate,
    is_private: c.isPrivate,
    is_archived: c.isArchived,
    is_shared: c.isShared,
    is_ext_shared: c.isShared,
    is_member: c.botIsMember,
    context_team_id: team.id,
  });

  const messageJson = (m: FakeSlackMessage) => ({
    type: "message",
    text: m.text,
    user: m.user,
    ts: m.ts,
    ...(m.threadTs && { thread_ts: m.threadTs }),
    ...(m.botId && { bot_id: m.botId }),
    ...(m.blocks && { blocks: m.blocks }),
    team: team.id,
  });

  function pendingFailure(method: string): FakeSlackFailure | undefined {
    for (const entry of queued) {
      if (entry.remaining > 0 && (!entry.match || entry.match(method))) {
        entry.remaining -= 1;
        return entry.failure;
      }
    }
    return undefined;
  }

  function parseBlocks(value: string | undefined): unknown[] | null {
    if (!value) return null;
    const parsed = JSON.parse(value) as unknown;
    if (!Array.isArray(parsed)) throw new Error("invalid_blocks");
    return parsed;
  }

  /** One Web API method: its result, or `{error}` for Slack's ok: false. */
  function call(
    method: string,
    params: Record<string, string>,
    token: string | null,
  ): Record<string, unknown> | { error: string } {
    if (method === "oauth.v2.access") {
      if (params.client_id !== options.clientId || params.client_secret !== options.clientSecret) {
        return { error: "invalid_client_id" };
      }
      const code = params.code ?? "";
      const grant = codes.get(code);
      if (!grant) return { error: "invalid_code" };
      codes.delete(code);
      if (grant.redirectUri && params.redirect_uri !== grant.redirectUri) {
        return { error: "bad_redirect_uri" };
      }
      const accessToken = `xoxb-${randomBytes(16).toString("hex")}`;
      validTokens.add(accessToken);
      fake.botToken = accessToken;
      return {
        app_id: APP_ID,
        authed_user: { id: randomId("U") },
        scope: fake.scopes.join(","),
        token_type: "bot",
        access_token: accessToken,
        bot_user_id: team.botUserId,
        team: { id: team.id, name: team.name },
        enterprise: null,
        is_enterprise_install: false,
      };
    }

    if (!token || !validTokens.has(token)) return { error: token ? "invalid_auth" : "not_authed" };

    switch (method) {
      case "auth.revoke":
        validTokens.delete(token);
        return { revoked: true };
      case "auth.test":
        return {
          url: `https://${team.domain}.slack.com/`,
          team: team.name,
          user: "netia",
          team_id: team.id,
          user_id: team.botUserId,
          bot_id: team.botId,
        };
      case "chat.postMessage": {
        const channel = channels.get(params.channel ?? "");
        if (!channel) return { error: "channel_not_found" };
        if (channel.isArchived) return { error: "is_archived" };
        if (!channel.botIsMember) return { error: "not_in_channel" };
        let blocks: unknown[] | null;
        try {
          blocks = parseBlocks(params.blocks);
        } catch {
          return { error: "invalid_blocks" };
        }
        if (!params.text && !blocks) return { error: "no_text" };
        const threadTs = params.thread_ts || null;
        if (threadTs && !messages.some((m) => m.channel === channel.id && m.ts === threadTs)) {
          return { error: "thread_not_found" };
        }
        const message: FakeSlackMessage = {
          channel: channel.id,
          ts: nextTs(),
          threadTs,
          text: params.text ?? "",
          blocks,
          user: team.botUserId,
          botId: team.botId,
          edits: [],
          username: params.username ?? null,
        };
        messages.push(message);
        return { channel: channel.id, ts: message.ts, message: messageJson(message) };
      }
      case "chat.update": {
        const message = messages.find((m) => m.channel === params.channel && m.ts === params.ts);
        if (!message) return { error: "message_not_found" };
        if (message.user !== team.botUserId) return { error: "cant_update_message" };
        let blocks: unknown[] | null;
        try {
          blocks = params.blocks === undefined ? message.blocks : parseBlocks(params.blocks);
        } catch {
          return { error: "invalid_blocks" };
        }
        message.edits.push({ text: message.text, blocks: message.blocks });
        message.text = params.text ?? message.text;
        message.blocks = blocks;
        return {
          channel: message.channel,
          ts: message.ts,
          text: message.text,
          message: messageJson(message),
        };
      }
      case "users.info": {
        const user = users.get(params.user ?? "");
        return user ? { user: userJson(user) } : { error: "user_not_found" };
      }
      case "users.lookupByEmail": {
        const email = (params.email ?? "").toLowerCase();
        const user = [...users.values()].find((u) => u.email?.toLowerCase() === email);
        return user ? { user: userJson(user) } : { error: "users_not_found" };
      }
      case "conversations.info": {
        const channel = channels.get(params.channel ?? "");
        return channel ? { channel: channelJson(channel) } : { error: "channel_not_found" };
      }
      case "conversations.list": {
        const limit = Math.min(1000, Number(params.limit) || 100);
        const all = [...channels.values()].filter((c) => !c.isArchived);
        const start = Number(params.cursor || 0);
        const page = all.slice(start, start + limit);
        const next = start + limit < all.length ? String(start + limit) : "";
        return { channels: page.map(channelJson), response_metadata: { next_cursor: next } };
      }
      case "conversations.join": {
        const channel = channels.get(params.channel ?? "");
        if (!channel) return { error: "channel_not_found" };
        if (channel.isPrivate) return { error: "method_not_supported_for_channel_type" };
        channel.botIsMember = true;
        return { channel: channelJson(channel) };
      }
      default:
        return { error: "unknown_method" };
    }
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://fake.slack");
      if (req.method === "GET" && url.pathname === "/oauth/v2/authorize") {
        const redirect = url.searchParams.get("redirect_uri");
        if (url.searchParams.get("client_id") !== options.clientId || !redirect) {
          res
            .writeHead(400, { "content-type": "text/plain" })
            .end("invalid client_id or redirect_uri");
          return;
        }
        const target = new URL(redirect);
        target.searchParams.set("code", fake.authorize({ redirectUri: redirect }));
        const state = url.searchParams.get("state");
        if (state) target.searchParams.set("state", state);
        res.writeHead(302, { location: target.toString() }).end();
        return;
      }
      const match = /^\/api\/([\w.]+)$/.exec(url.pathname);
      if (req.method !== "POST" || !match?.[1]) {
        sendJson(res, { ok: false, error: "unknown_method" }, 404);
        return;
      }
      const method = match[1];
      const params = parseParams(req.headers["content-type"], await readBody(req));
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? null;
      const token = bearer ?? params.token ?? null;
      const recorded: RecordedSlackRequest = { method, params, token, at: Date.now() };
      requests.push(recorded);
      const failure = (await fake.onRequest?.(recorded)) ?? pendingFailure(method);
      if (failure?.kind === "ratelimited") {
        sendJson(res, { ok: false, error: "ratelimited" }, 429, {
          "retry-after": String(failure.retryAfterSeconds),
        });
        return;
      }
      if (failure?.kind === "http") {
        res.writeHead(failure.status, { "content-type": "text/plain" }).end("fake slack: trouble");
        return;
      }
      if (failure?.kind === "error") {
        sendJson(res, { ok: false, error: failure.error });
        return;
      }
      const result = call(method, params, token);
      if ("error" in result) sendJson(res, { ok: false, error: result.error });
      else sendJson(res, { ok: true, ...result });
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeSlack = {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    team,
    botToken: null,
    scopes: [...DEFAULT_SCOPES],
    requests,
    users,
    channels,
    messages,
    onRequest: null,
    authorize(authorizeOptions) {
      const code = `code-${randomBytes(12).toString("hex")}`;
      codes.set(code, { redirectUri: authorizeOptions?.redirectUri });
      return code;
    },
    addUser(input) {
      const user: FakeSlackUser = {
        id: input.id ?? randomId("U"),
        teamId: input.teamId ?? team.id,
        name: input.name,
        realName: input.realName ?? input.name,
        email: input.email ?? null,
        isBot: input.isBot ?? false,
        deleted: false,
      };
      users.set(user.id, user);
      return user;
    },
    addChannel(input) {
      const channel: FakeSlackChannel = {
        id: input.id ?? randomId(input.isPrivate ? "G" : "C"),
        name: input.name,
        isPrivate: input.isPrivate ?? false,
        isShared: input.isShared ?? false,
        botIsMember: input.botIsMember ?? true,
        isArchived: false,
      };
      channels.set(channel.id, channel);
      return channel;
    },
    channelMessages: (channel) => messages.filter((m) => m.channel === channel && !m.threadTs),
    thread: (channel, threadTs) =>
      messages.filter(
        (m) => m.channel === channel && (m.ts === threadTs || m.threadTs === threadTs),
      ),
    message: (channel, ts) => messages.find((m) => m.channel === channel && m.ts === ts),
    userPosts(input) {
      const channel = channels.get(input.channel);
      if (!channel) throw new Error(`fake slack: no channel ${input.channel}`);
      const user = users.get(input.user);
      if (!user) throw new Error(`fake slack: no user ${input.user}`);
      const message: FakeSlackMessage = {
        channel: channel.id,
        ts: nextTs(),
        threadTs: input.threadTs ?? null,
        text: input.text,
        blocks: null,
        user: user.id,
        botId: null,
        edits: [],
        username: null,
      };
      messages.push(message);
      const event: Record<string, unknown> = {
        type: "message",
        channel: channel.id,
        channel_type: channel.isPrivate ? "group" : "channel",
        user: user.id,
        text: input.text,
        ts: message.ts,
        event_ts: message.ts,
        team: user.teamId,
        ...(input.threadTs && { thread_ts: input.threadTs }),
      };
      return { ts: message.ts, envelope: eventCallback(team.id, event) };
    },
    rateLimitNext(count, retryAfterSeconds, match) {
      queued.push({ remaining: count, failure: { kind: "ratelimited", retryAfterSeconds }, match });
    },
    failNext(count, failure, match) {
      queued.push({ remaining: count, failure, match });
    },
    revoke() {
      validTokens.clear();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// ---------------------------------------------------------------------------
// The Slack side of requests to an app: signing, and the payloads Slack sends.
// ---------------------------------------------------------------------------

/** Slack's v0 signature of a request body at `timestamp` (seconds). */
export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return `v0=${mac}`;
}

/**
 * The headers Slack sends with a request: signature and timestamp (now unless
 * given), and X-Slack-Retry-Num/-Reason when it is a retry.
 */
export function signedHeaders(
  signingSecret: string,
  body: string,
  options: {
    timestamp?: number;
    contentType?: string;
    retryNum?: number;
    retryReason?: string;
  } = {},
): Record<string, string> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    "content-type": options.contentType ?? "application/json",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(signingSecret, timestamp, body),
    ...(options.retryNum !== undefined && {
      "x-slack-retry-num": String(options.retryNum),
      "x-slack-retry-reason": options.retryReason ?? "http_timeout",
    }),
  };
}

/** An Events API callback for `event` in workspace `teamId`, with a fresh event id unless given. */
export function eventCallback(
  teamId: string,
  event: Record<string, unknown>,
  options: { eventId?: string; eventTime?: number } = {},
): SlackEventEnvelope {
  return {
    token: "verification-token-is-not-used",
    team_id: teamId,
    api_app_id: APP_ID,
    event,
    type: "event_callback",
    event_id: options.eventId ?? randomId("Ev"),
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
  };
}

/** Slack's url_verification request, sent when the Events URL is saved in the app's settings. */
export function urlVerification(challenge = randomBytes(12).toString("hex")) {
  return { token: "verification-token-is-not-used", challenge, type: "url_verification" as const };
}

/** A button click (block_actions) on a message the app posted. */
export function blockActions(input: {
  teamId: string;
  user: { id: string; name: string };
  channel: string;
  messageTs: string;
  actionId: string;
  value: string;
  actionTs?: string;
}) {
  const actionTs = input.actionTs ?? `${(Date.now() / 1000).toFixed(6)}`;
  return {
    type: "block_actions" as const,
    team: { id: input.teamId, domain: "acme" },
    user: {
      id: input.user.id,
      username: input.user.name,
      name: input.user.name,
      team_id: input.teamId,
    },
    api_app_id: APP_ID,
    token: "verification-token-is-not-used",
    container: {
      type: "message",
      message_ts: input.messageTs,
      channel_id: input.channel,
      is_ephemeral: false,
    },
    trigger_id: `${Date.now()}.${randomBytes(6).toString("hex")}`,
    channel: { id: input.channel, name: "channel" },
    message: { type: "message", ts: input.messageTs },
    response_url: "http://127.0.0.1:9/response-url-is-not-used",
    actions: [
      {
        action_id: input.actionId,
        block_id: "netia",
        value: input.value,
        type: "button",
        action_ts: actionTs,
      },
    ],
  };
}

/** An interactivity request's body as Slack sends it: form-encoded, the JSON in `payload`. */
export function interactivityBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** POSTs a signed Events API request (JSON) to `url`, as Slack would. */
export function sendEvent(
  url: string,
  signingSecret: string,
  envelope: unknown,
  options: { timestamp?: number; retryNum?: number } = {},
): Promise<Response> {
  const body = JSON.stringify(envelope);
  return fetch(url, {
    method: "POST",
    headers: signedHeaders(signingSecret, body, options),
    body,
  });
}

/** POSTs a signed interactivity request (form-encoded payload) to `url`, as Slack would. */
export function sendInteraction(
  url: string,
  signingSecret: string,
  payload: unknown,
  options: { timestamp?: number; retryNum?: number } = {},
): Promise<Response> {
  const body = interactivityBody(payload);
  return fetch(url, {
    method: "POST",
    headers: signedHeaders(signingSecret, body, {
      ...options,
      contentType: "application/x-www-form-urlencoded",
    }),
    body,
  });
}
