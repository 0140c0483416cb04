import { onboardingStatus } from "@netia/core";
import { z } from "zod";
import { agentProcedure, router } from "../trpc";

export const onboardingRouter = router({
  /** The new account's first steps, each done or not (packages/core/src/onboarding.ts). */
  status: agentProcedure
    .output(
      z.object({
        widgetInstalled: z.boolean(),
        customerMessage: z.boolean(),
        teammateInvited: z.boolean(),
      }),
    )
    .query(({ ctx }) =>
      onboardingStatus(ctx.db, {
        accountId: ctx.agent.accountId,
        // The dashboard's host as this request reached it, and as configured.
        dashboardHosts: [ctx.headers.get("host") ?? "", new URL(ctx.rt.config.appUrl).host],
      }),
    ),
});
