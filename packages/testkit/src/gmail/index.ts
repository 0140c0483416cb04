// A fake Gmail on a local port, for tests and benchmarks: a real HTTP server
// that speaks the parts of the Gmail REST API (v1) and Google's OAuth 2.0
// token endpoint that Netia's Gmail channel uses, so Google's generated client
// (@googleapis/gmail with google-auth-library) runs against it unchanged:
//
//   const fake = await startFakeGmail({ clientId: "id", clientSecret: "secret" });
//   // apiUrl → gmail({ rootUrl: fake.apiUrl }); oauthUrl → OAuth2Client endpoints
//   const code = fake.authorize("support@acme.test");  // what the consent screen would return
//   fake.mailbox("support@acme.test").add(rawMime);    // mail arrives
//   fake.failNext(3, { status: 429, retryAfterSeconds: 1 });
//   fake.revoke("support@acme.test");                  // tokens stop working (401 / invalid_grant)
//   fake.sent;                                         // what users.messages.send received
//   await fake.close();
//
// Endpoints (userId `me` is the mailbox of the access token):
// - GET  /gmail/v1/users/me/profile
// - GET  /gmail/v1/users/me/history?startHistoryId&pageToken&maxResults&labelId
//        (404 when the start id is older than the kept history, as Gmail does)
// - GET  /gmail/v1/users/me/messages?labelIds&maxResults&pageToken (newest first)
// - GET  /gmail/v1/users/me/messages/:id?format=raw|minimal
// - POST /gmail/v1/users/me/messages/send {raw, threadId}
// - GET  /gmail/v1/users/me/labels
// - POST /token (authorization_code and refresh_token grants, form-encoded)
// - GET  /o/oauth2/v2/auth: approves at once and redirects to redirect_uri with a code and the state
// A leaf module: it imports nothing from the workspace.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { Mailbox } from "./mailbox";

export { Mailbox, type StoredMessage } from "./mailbox";

export type FakeGmailFailure = { status: number; retryAfterSeconds?: number; message?: string };

export type RecordedGmailRequest = {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  at: number;
};

export type SentMessage = { id: string; threadId: string; raw: string; mailbox: string };

export type FakeGmail = {
  /** Pass as the client's `rootUrl` (Netia's GOOGLE_API_URL). */
  apiUrl: string;
  /** Base of the OAuth endpoints (Netia's GOOGLE_OAUTH_URL): `/token`, `/o/oauth2/v2/auth`. */
  oauthUrl: string;
  requests: RecordedGmailRequest[];
  /** Every message users.messages.send stored, in order. */
  sent: SentMessage[];
  /** The mailbox of `address`, created empty on first use. */
  mailbox(address: string): Mailbox;
  /** An authorization code for `address`, as Google's consent screen would redirect with. */
  authorize(address: string, scope?: string): string;
  /** Every token of `address` stops working: API calls get 401, refreshes `invalid_grant`. */
  revoke(address: string): void;
  /** Access tokens issued so far stop working (as when they expire); refresh tokens still work. */
  expireAccessTokens(): void;
  /** Seconds an access token lives (expires_in), 3600 unless set. */
  accessTokenTtlSeconds: number;
  /** The next `count` API requests (those `match` accepts, else all) fail with `failure`. */
  failNext(count: number, failure: FakeGmailFailure, match?: (path: string) => boolean): void;
  /**
   * Called before every API request is answered; a failure it returns is sent
   * instead (e.g. a crash in the middle of a sync's page), a throw becomes a 500.
   */
  onRequest: ((request: RecordedGmailRequest) => FakeGmailFailure | undefined) | null;
  close(): Promise<void>;
};

export type FakeGmailOptions = { clientId: string; clientSecret: string; port?: number };

const STATUS_TEXT: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  503: "UNAVAILABLE",
};

/** Google's JSON error envelope, which the generated client turns into a GaxiosError. */
function sendError(res: ServerResponse, failure: FakeGmailFailure): void {
  const headers: Record<string, string> = { "content-type": "application/json; charset=UTF-8" };
  if (failure.retryAfterSeconds !== undefined)
    headers["retry-after"] = String(failure.retryAfterSeconds);
  const status = STATUS_TEXT[failure.status] ?? "UNKNOWN";
  const message = failure.message ?? `fake gmail: ${status.toLowerCase()}`;
  res.writeHead(failure.status, headers).end(
    JSON.stringify({
      error: {
        code: failure.status,
        message,
        errors: [{ message, domain: "global", reason: status }],
        status,
      },
    }),
  );
}

function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const base64url = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const token = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;
const pageOf = (pageToken: string | null) => Number.parseInt(pageToken ?? "0", 10) || 0;
const boundedSize = (value: string | null, fallback: number) =>
  Math.min(500, Math.max(1, Number.parseInt(value ?? "", 10) || fallback));

export async function startFakeGmail(options: FakeGmailOptions): Promise<FakeGmail> {
  const mailboxes = new Map<string, Mailbox>();
  const codes = new Map<string, { address: string; scope: string }>();
  const accessTokens = new Map<string, { address: string; expiresAt: number }>();
  const refreshTokens = new Map<string, string>();
  const failures: { failure: FakeGmailFailure; match?: (path: string) => boolean }[] = [];
  const requests: RecordedGmailRequest[] = [];
  const sent: SentMessage[] = [];
  const sockets = new Set<Socket>();

  const mailbox = (address: string) => {
    const key = address.toLowerCase();
    let box = mailboxes.get(key);
    if (!box) {
      box = new Mailbox(key);
      mailboxes.set(key, box);
    }
    return box;
  };

  const issueAccessToken = (address: string) => {
    const access = token("ya29.fake-");
    accessTokens.set(access, {
      address,
      expiresAt: Date.now() + fake.accessTokenTtlSeconds * 1000,
    });
    return access;
  };

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await readBody(req));
    const oauthError = (status: number, error: string, description: string) =>
      sendJson(res, { error, error_description: description }, status);
    if (
      form.get("client_id") !== options.clientId ||
      form.get("client_secret") !== options.clientSecret
    ) {
      return oauthError(401, "invalid_client", "The OAuth client was not found.");
    }
    const grant = form.get("grant_type");
    if (grant === "authorization_code") {
      const entry = codes.get(form.get("code") ?? "");
      if (!entry) return oauthError(400, "invalid_grant", "Malformed auth code.");
      codes.delete(form.get("code") ?? "");
      const refresh = token("1//fake-");
      refreshTokens.set(refresh, entry.address);
      return sendJson(res, {
        access_token: issueAccessToken(entry.address),
        refresh_token: refresh,
        expires_in: fake.accessTokenTtlSeconds,
        scope: entry.scope,
        token_type: "Bearer",
      });
    }
    if (grant === "refresh_token") {
      const address = refreshTokens.get(form.get("refresh_token") ?? "");
      if (!address) return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
      return sendJson(res, {
        access_token: issueAccessToken(address),
        expires_in: fake.accessTokenTtlSeconds,
        scope: "https://www.googleapis.com/auth/gmail.modify",
        token_type: "Bearer",
      });
    }
    return oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${grant}`);
  }

  function handleConsent(url: URL, res: ServerResponse): void {
    const redirect = url.searchParams.get("redirect_uri");
    if (url.searchParams.get("client_id") !== options.clientId || !redirect) {
      res.writeHead(400).end("invalid client or redirect_uri");
      return;
    }
    const target = new URL(redirect);
    const address = url.searchParams.get("login_hint") ?? "mailbox@fake-gmail.test";
    target.searchParams.set("code", fake.authorize(address, url.searchParams.get("scope") ?? ""));
    const state = url.searchParams.get("state");
    if (state) target.searchParams.set("state", state);
    res.writeHead(302, { location: target.toString() }).end();
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    recorded: RecordedGmailRequest,
  ): Promise<void> {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const grant = bearer ? accessTokens.get(bearer) : undefined;
    if (!grant || grant.expiresAt < Date.now()) {
      return sendError(res, {
        status: 401,
        message: "Request had invalid authentication credentials.",
      });
    }
    const scripted = failures.findIndex((f) => !f.match || f.match(url.pathname));
    if (scripted >= 0) {
      const [entry] = failures.splice(scripted, 1);
      if (entry) return sendError(res, entry.failure);
    }
    const hooked = fake.onRequest?.(recorded);
    if (hooked) return sendError(res, hooked);

    const box = mailbox(grant.address);
    const match = /^\/gmail\/v1\/users\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match || (match[1] !== "me" && match[1] !== box.emailAddress)) {
      return sendError(res, { status: 404, message: "Requested entity was not found." });
    }
    const route = match[2] ?? "";
    const q = url.searchParams;

    if (req.method === "GET" && route === "profile") {
      return sendJson(res, {
        emailAddress: box.emailAddress,
        messagesTotal: box.messages.size,
        threadsTotal: new Set([...box.messages.values()].map((m) => m.threadId)).size,
        historyId: String(box.historyId),
      });
    }
    if (req.method === "GET" && route === "labels") {
      return sendJson(res, {
        labels: ["INBOX", "SENT", "UNREAD", "SPAM", "TRASH", "DRAFT"].map((id) => ({
          id,
          name: id,
          type: "system",
        })),
      });
    }
    if (req.method === "GET" && route === "history") {
      const start = Number(q.get("startHistoryId"));
      if (!Number.isFinite(start) || start <= 0) {
        return sendError(res, { status: 400, message: "Invalid startHistoryId" });
      }
      if (start < box.oldestHistoryId - 1) {
        return sendError(res, { status: 404, message: "Requested entity was not found." });
      }
      const labelId = q.get("labelId");
      const records = box.history
        .filter((h) => h.id > start)
        .map((h) => ({
          ...h,
          messagesAdded: h.messagesAdded.filter((m) => !labelId || m.labelIds.includes(labelId)),
        }))
        .filter((h) => h.messagesAdded.length > 0);
      const size = boundedSize(q.get("maxResults"), 100);
      const offset = pageOf(q.get("pageToken"));
      const page = records.slice(offset, offset + size);
      return sendJson(res, {
        ...(page.length && {
          history: page.map((h) => ({
            id: String(h.id),
            messages: h.messagesAdded.map(({ id, threadId }) => ({ id, threadId })),
            messagesAdded: h.messagesAdded.map((message) => ({ message })),
          })),
        }),
        ...(offset + size < records.length && { nextPageToken: String(offset + size) }),
        historyId: String(box.historyId),
      });
    }
    if (req.method === "GET" && route === "messages") {
      const labelIds = q.getAll("labelIds");
      const all = box.list().filter((m) => labelIds.every((l) => m.labelIds.includes(l)));
      const size = boundedSize(q.get("maxResults"), 100);
      const offset = pageOf(q.get("pageToken"));
      const page = all.slice(offset, offset + size);
      return sendJson(res, {
        ...(page.length && { messages: page.map(({ id, threadId }) => ({ id, threadId })) }),
        ...(offset + size < all.length && { nextPageToken: String(offset + size) }),
        resultSizeEstimate: all.length,
      });
    }
    const get = /^messages\/([^/]+)$/.exec(route);
    if (req.method === "GET" && get) {
      const message = box.messages.get(get[1] ?? "");
      if (!message)
        return sendError(res, { status: 404, message: "Requested entity was not found." });
      const format = q.get("format") ?? "full";
      return sendJson(res, {
        id: message.id,
        threadId: message.threadId,
        labelIds: message.labelIds,
        historyId: String(message.historyId),
        internalDate: String(message.internalDate),
        sizeEstimate: message.raw.length,
        ...(format === "raw" && { raw: base64url(message.raw) }),
      });
    }
    if (req.method === "POST" && route === "messages/send") {
      const body = recorded.body as { raw?: string; threadId?: string } | undefined;
      if (!body?.raw)
        return sendError(res, {
          status: 400,
          message:
            "'raw' RFC822 payload message string or uploading message via /upload/* URL required",
        });
      const raw = Buffer.from(body.raw, "base64url").toString("utf8");
      if (body.threadId && ![...box.messages.values()].some((m) => m.threadId === body.threadId)) {
        return sendError(res, { status: 404, message: "Requested entity was not found." });
      }
      const message = box.add(raw, {
        labelIds: ["SENT"],
        ...(body.threadId && { threadId: body.threadId }),
      });
      sent.push({ id: message.id, threadId: message.threadId, raw, mailbox: box.emailAddress });
      return sendJson(res, { id: message.id, threadId: message.threadId, labelIds: ["SENT"] });
    }
    return sendError(res, {
      status: 404,
      message: `fake gmail does not serve ${req.method} ${url.pathname}`,
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    void (async () => {
      try {
        if (req.method === "POST" && url.pathname === "/token") return await handleToken(req, res);
        if (req.method === "GET" && url.pathname === "/o/oauth2/v2/auth") {
          return handleConsent(url, res);
        }
        const text = await readBody(req);
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = text;
        }
        const recorded = {
          method: req.method ?? "GET",
          path: url.pathname,
          query: url.searchParams,
          body,
          at: Date.now(),
        };
        requests.push(recorded);
        await handleApi(req, res, url, recorded);
      } catch (error) {
        if (!res.headersSent) {
          sendError(res, {
            status: 500,
            message: error instanceof Error ? error.message : String(error),
          });
        }
      }
    })();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  const fake: FakeGmail = {
    apiUrl: `${origin}/`,
    oauthUrl: origin,
    requests,
    sent,
    accessTokenTtlSeconds: 3600,
    onRequest: null,
    mailbox,
    authorize(address, scope = "https://www.googleapis.com/auth/gmail.modify") {
      const code = token("4/fake-");
      codes.set(code, { address: address.toLowerCase(), scope });
      mailbox(address);
      return code;
    },
    revoke(address) {
      const key = address.toLowerCase();
      for (const [t, a] of refreshTokens) if (a === key) refreshTokens.delete(t);
      for (const [t, g] of accessTokens) if (g.address === key) accessTokens.delete(t);
    },
    expireAccessTokens() {
      for (const grant of accessTokens.values()) grant.expiresAt = 0;
    },
    failNext(count, failure, match) {
      for (let i = 0; i < count; i++) failures.push({ failure, ...(match && { match }) });
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
