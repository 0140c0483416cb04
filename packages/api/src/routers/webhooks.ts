// Outbound webhooks (admins only, docs/webhooks.md): endpoints with their
// events, the signing secret shown when it is made, the delivery log,
// redelivery and a test event. Thin over @netia/webhooks.
import { WEBHOOK_EVENT_TYPES } from "@netia/core";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  redeliverWebhook,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhookEndpoint,
  type WebhookSettings,
} from "@netia/webhooks";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import { isoDate, nullableIsoDate, ok, ZCursor, ZId, ZLimit, ZOk, ZText, ZUrl } from "../schemas";
import type { Context } from "../trpc";
import { adminProcedure, type ProcedureMeta, router } from "../trpc";

const ZEventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "pick at least one event").max(20);
const ZWebhookUrl = ZUrl.max(2000);
const ZDescription = ZText.trim().max(200);

export const ZWebhookEndpoint = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  enabled: z.boolean(),
  disabledAt: nullableIsoDate,
  disabledReason: z.string().nullable(),
  failureStreak: z.number(),
  createdAt: isoDate,
});

export const ZWebhookDelivery = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  webhookId: z.string(),
  status: z.enum(["pending", "delivered", "failed"]),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastResponseExcerpt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastDurationMs: z.number().nullable(),
  lastAttemptAt: nullableIsoDate,
  deliveredAt: nullableIsoDate,
  createdAt: isoDate,
  payload: z.record(z.string(), z.unknown()),
});

const settingsOf = (ctx: Context): WebhookSettings => ({
  secretKeyBase: ctx.rt.config.secretKeyBase,
  allowPrivateNetworks: ctx.rt.config.webhooks.allowPrivateNetworks,
});

const route = restRoutes("Webhooks");
/** Admin-scoped API keys manage webhooks too, over tRPC and REST. */
const keyRoute = (...args: Parameters<typeof route>): ProcedureMeta => ({
  apiKey: "admin",
  ...route(...args),
});

export const webhooksRouter = router({
  /** The account's endpoints and the events one can subscribe to. */
  list: adminProcedure
    .meta(keyRoute("GET", "/v1/webhooks", "List webhook endpoints and the events on offer"))
    .output(z.object({ endpoints: z.array(ZWebhookEndpoint), eventTypes: z.array(z.string()) }))
    .query(async ({ ctx }) => ({
      endpoints: await listWebhookEndpoints(ctx.db, ctx.agent.accountId),
      eventTypes: [...WEBHOOK_EVENT_TYPES],
    })),

  /** The signing secret is in this answer only. */
  create: adminProcedure
    .meta(
      keyRoute("POST", "/v1/webhooks", "Add a webhook endpoint", {
        description: "The answer holds the signing secret, shown this once.",
      }),
    )
    .input(
      z.object({ url: ZWebhookUrl, description: ZDescription.optional(), eventTypes: ZEventTypes }),
    )
    .output(z.object({ endpoint: ZWebhookEndpoint, secret: z.string() }))
    .mutation(({ ctx, input }) =>
      createWebhookEndpoint(ctx.db, settingsOf(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  /** URL, description, events; `enabled` switches it on (its failure count starts over) or off. */
  update: adminProcedure
    .meta(keyRoute("PATCH", "/v1/webhooks/{id}", "Change, switch on or switch off an endpoint"))
    .input(
      z.object({
        id: ZId,
        url: ZWebhookUrl.optional(),
        description: ZDescription.optional(),
        eventTypes: ZEventTypes.optional(),
        enabled: z.boolean().optional(),
      }),
    )
    .output(ZWebhookEndpoint)
    .mutation(({ ctx, input }) =>
      updateWebhookEndpoint(ctx.db, settingsOf(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  /** A new secret, in this answer only; the old one stops signing at once. */
  rotateSecret: adminProcedure
    .meta(keyRoute("POST", "/v1/webhooks/{id}/rotate-secret", "Replace an endpoint's secret"))
    .input(z.object({ id: ZId }))
    .output(z.object({ secret: z.string() }))
    .mutation(({ ctx, input }) =>
      rotateWebhookSecret(ctx.db, settingsOf(ctx), { accountId: ctx.agent.accountId, ...input }),
    ),

  delete: adminProcedure
    .meta(keyRoute("DELETE", "/v1/webhooks/{id}", "Delete a webhook endpoint"))
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteWebhookEndpoint(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),

  /** The endpoint's delivery log, newest first. */
  deliveries: adminProcedure
    .meta(keyRoute("GET", "/v1/webhooks/{endpointId}/deliveries", "List an endpoint's deliveries"))
    .input(z.object({ endpointId: ZId, cursor: ZCursor.optional(), limit: ZLimit }))
    .output(z.object({ items: z.array(ZWebhookDelivery), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      listWebhookDeliveries(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  /** Sends the delivery again, with the same payload and webhook-id. */
  redeliver: adminProcedure
    .meta(
      keyRoute("POST", "/v1/webhook-deliveries/{deliveryId}/redeliver", "Send a delivery again"),
    )
    .input(z.object({ deliveryId: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await redeliverWebhook(
        { db: ctx.db, jobs: ctx.rt.jobs },
        { accountId: ctx.agent.accountId, ...input },
      );
      return ok;
    }),

  /** Sends a `webhook.test` event to the endpoint. */
  sendTest: adminProcedure
    .meta(keyRoute("POST", "/v1/webhooks/{endpointId}/test", "Send a test event"))
    .input(z.object({ endpointId: ZId }))
    .output(z.object({ deliveryId: z.string() }))
    .mutation(({ ctx, input }) =>
      sendTestWebhook(
        { db: ctx.db, jobs: ctx.rt.jobs },
        { accountId: ctx.agent.accountId, ...input },
      ),
    ),
});
