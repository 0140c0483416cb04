// Billing (docs/billing.md), only when this server bills accounts
// (PAPERCUPS_STRIPE_SECRET): every procedure answers NOT_FOUND otherwise. Any
// agent sees where the account stands (the past-due banner needs it); only an
// admin sees the next invoice and starts Checkout or the customer portal.
import { nextInvoice, openPortal, startCheckout } from "@netia/billing";
import type { StripeSettings } from "@netia/config";
import {
  AppError,
  getAccount,
  getBillingStanding,
  LIMIT_LABELS,
  type LimitName,
  PAID_PLANS,
  PLANS,
  usageOfAll,
} from "@netia/core";
import type { Db } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { z } from "zod";
import { isoDate, nullableIsoDate } from "../schemas";
import { adminProcedure, agentProcedure, router } from "../trpc";

/** The server's Stripe settings, or NOT_FOUND: with billing off there is no billing. */
function billingOn(settings: StripeSettings | null): StripeSettings {
  if (!settings) throw new AppError("NOT_FOUND", "Billing is not enabled on this server");
  return settings;
}

const ZPlanId = z.enum(["starter", "team", "business"]);
const ZLimits = z.object({
  seats: z.number().nullable(),
  inboxes: z.number().nullable(),
  aiReplies: z.number().nullable(),
});

export const ZBillingStatusOutput = z.object({
  state: z.enum(["exempt", "trial", "active", "grace", "downgraded", "free"]),
  plan: ZPlanId,
  subscribedPlan: ZPlanId,
  status: z.string().nullable(),
  trialEndsAt: isoDate,
  trialDaysLeft: z.number(),
  graceEndsAt: nullableIsoDate,
  currentPeriodEnd: nullableIsoDate,
  cancelAtPeriodEnd: z.boolean(),
  hasCustomer: z.boolean(),
  /** Each limit: its label, what is used, what the plan allows (null: unlimited). */
  usage: z.array(
    z.object({
      limit: z.enum(["seats", "inboxes", "aiReplies"]),
      label: z.string(),
      used: z.number(),
      allowed: z.number().nullable(),
    }),
  ),
  plans: z.array(z.object({ id: ZPlanId, name: z.string(), paid: z.boolean(), limits: ZLimits })),
  /** Admins only; null without a renewing subscription. */
  nextInvoice: z
    .object({ amountDue: z.number(), currency: z.string(), date: nullableIsoDate })
    .nullable(),
});

export const ZCheckoutInput = z.object({ plan: z.enum(PAID_PLANS) });
const ZRedirect = z.object({ url: z.string() });

const deps = (ctx: { db: Db; rt: Runtime }, stripe: StripeSettings) => ({
  db: ctx.db,
  stripe,
  appUrl: ctx.rt.config.appUrl,
});

export const billingRouter = router({
  status: agentProcedure.output(ZBillingStatusOutput).query(async ({ ctx }) => {
    const stripe = billingOn(ctx.rt.config.stripe);
    const { accountId } = ctx.agent;
    const standing = await getBillingStanding(ctx.db, ctx.rt.config, accountId);
    if (!standing) throw new AppError("NOT_FOUND", "Billing is not enabled on this server");
    const [usage, invoice] = await Promise.all([
      usageOfAll(ctx.db, accountId),
      ctx.agent.role === "admin" && !standing.cancelAtPeriodEnd
        ? nextInvoice({ db: ctx.db, stripe }, { accountId })
        : null,
    ]);
    const limits = Object.keys(LIMIT_LABELS) as LimitName[];
    return {
      ...standing,
      usage: limits.map((limit) => ({
        limit,
        label: LIMIT_LABELS[limit],
        used: usage[limit],
        allowed: standing.limits[limit],
      })),
      plans: Object.values(PLANS).map((plan) => ({
        id: plan.id,
        name: plan.name,
        paid: plan.price !== null,
        limits: plan.limits,
      })),
      nextInvoice: invoice,
    };
  }),

  /** Stripe Checkout for a paid plan; the browser goes to the URL. */
  checkout: adminProcedure
    .input(ZCheckoutInput)
    .output(ZRedirect)
    .mutation(async ({ ctx, input }) => {
      const stripe = billingOn(ctx.rt.config.stripe);
      const account = await getAccount(ctx.db, { accountId: ctx.agent.accountId });
      return startCheckout(deps(ctx, stripe), {
        accountId: ctx.agent.accountId,
        email: ctx.agent.email,
        companyName: account.companyName,
        plan: input.plan,
      });
    }),

  /** Stripe's customer portal: payment methods, invoices, cancellation. */
  portal: adminProcedure.output(ZRedirect).mutation(async ({ ctx }) => {
    const stripe = billingOn(ctx.rt.config.stripe);
    return openPortal(deps(ctx, stripe), { accountId: ctx.agent.accountId });
  }),
});
