// The two URLs Slack sends requests to (docs/slack-inbound.md): the Events API
// (POST /api/slack/events, JSON) and interactivity (POST
// /api/slack/interactivity, form-encoded `payload`). Each is verified on its
// raw bytes with the app's signing secret (v0 HMAC, 5-minute window), taken
// once (a replay of the same signed request is refused; Slack's own retries,
// X-Slack-Retry-Num, are accepted and add nothing), stored with its job in
// one transaction and answered 200 at once: Slack gives up after 3 seconds,
// so the work is done by the slack.handle-event job.

import type { Runtime } from "@netia/runtime";
import {
  interactionKey,
  type ReceivedSlackRequest,
  receiveSlackRequest,
  SLACK_MAX_AGE_SECONDS,
  verifySlackSignature,
} from "@netia/slack";
import { z } from "zod";
import { usedOnce } from "./used-once";

/** Slack's requests are small; anything larger is not one. */
const MAX_BODY_BYTES = 512 * 1024;

const ZEnvelope = z.discriminatedUnion("type", [
  z.object({ type: z.literal("url_verification"), challenge: z.string().max(500) }),
  z.object({
    type: z.literal("event_callback"),
    event_id: z.string().min(1).max(200),
    team_id: z.string().min(1).max(100),
    event: z.record(z.string(), z.unknown()),
  }),
]);

// Loose: the whole payload is stored for the job, which reads what it needs.
const ZInteraction = z.looseObject({
  type: z.string(),
  team: z.looseObject({ id: z.string().max(100) }).nullish(),
  user: z.looseObject({ id: z.string() }).optional(),
  actions: z.array(z.looseObject({ action_ts: z.string().optional() })).optional(),
  trigger_id: z.string().optional(),
});

const json = (status: number, body: Record<string, unknown>) => Response.json(body, { status });

/**
 * Signatures already accepted (with the retry number Slack sent them with),
 * kept a little longer than a signature is valid.
 */
const usedSignatures = (rt: Runtime) => usedOnce(rt, "slack:signature", SLACK_MAX_AGE_SECONDS + 60);

type Parsed = { answer: Response } | { request: ReceivedSlackRequest; answer?: undefined };

/** Verifies, claims and parses one request; `parse` turns its body into what to store. */
async function receive(
  rt: Runtime,
  request: Request,
  parse: (body: string) => Parsed,
): Promise<Response> {
  const slack = rt.config.slack;
  if (!slack) return json(503, { error: "Slack is not configured on this server" });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) {
    return json(413, { error: "request too large" });
  }
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) return json(413, { error: "request too large" });
  const signature = request.headers.get("x-slack-signature");
  const check = verifySlackSignature(slack.signingSecret, {
    timestamp: request.headers.get("x-slack-request-timestamp"),
    signature,
    body,
  });
  if (check === "missing") return json(401, { error: "missing Slack signature or timestamp" });
  if (check === "bad_signature") return json(401, { error: "bad signature" });
  if (check === "expired") return json(401, { error: "timestamp older than 5 minutes" });
  const parsed = parse(body);
  if (parsed.answer) return parsed.answer;
  // A retry is signed anew by Slack; the same signature with the same retry number is a replay.
  const retryNum = request.headers.get("x-slack-retry-num") ?? "0";
  const claim = `${signature}:${retryNum.slice(0, 5)}`;
  const used = usedSignatures(rt);
  if (!(await used.claim(claim))) return json(401, { error: "request already received" });
  try {
    const outcome = await receiveSlackRequest({ db: rt.db, jobs: rt.jobs }, parsed.request);
    if (retryNum !== "0" || outcome !== "stored") {
      rt.logger.info(
        { kind: parsed.request.kind, slackId: parsed.request.slackId, retryNum, outcome },
        "slack request received",
      );
    }
  } catch (err) {
    await used.release(claim).catch(() => {});
    rt.logger.error({ err }, "slack request not stored; Slack will retry");
    return json(503, { error: "temporary failure, try again later" });
  }
  return new Response(null, { status: 200 });
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** POST /api/slack/events: Events API callbacks and the url_verification challenge. */
export function handleSlackEvents(rt: Runtime, request: Request): Promise<Response> {
  return receive(rt, request, (body) => {
    const envelope = ZEnvelope.safeParse(parseJson(body));
    if (!envelope.success) {
      // Other envelope types (app_rate_limited, …) need nothing from Netia.
      const type = (parseJson(body) as { type?: unknown } | undefined)?.type;
      return typeof type === "string"
        ? { answer: new Response(null, { status: 200 }) }
        : { answer: json(400, { error: "expected an Events API request" }) };
    }
    const data = envelope.data;
    if (data.type === "url_verification")
      return { answer: json(200, { challenge: data.challenge }) };
    return {
      request: {
        kind: "event",
        slackId: data.event_id,
        teamId: data.team_id,
        payload: data as unknown as Record<string, unknown>,
      },
    };
  });
}

/** POST /api/slack/interactivity: button clicks on the messages Netia posted. */
export function handleSlackInteractivity(rt: Runtime, request: Request): Promise<Response> {
  return receive(rt, request, (body) => {
    const raw = new URLSearchParams(body).get("payload");
    const payload = ZInteraction.safeParse(raw ? parseJson(raw) : undefined);
    const key = payload.success ? interactionKey(payload.data) : null;
    if (!payload.success || !key) {
      return { answer: json(400, { error: "expected an interactivity payload" }) };
    }
    return {
      request: {
        kind: "interaction",
        slackId: key.slice(0, 200),
        teamId: payload.data.team?.id ?? null,
        payload: payload.data as Record<string, unknown>,
      },
    };
  });
}
