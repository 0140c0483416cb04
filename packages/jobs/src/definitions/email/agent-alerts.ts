// One email to one agent with every alert waiting for them. At most one job
// waits per agent (policy "short"), due when the agent's delivery mode allows
// (immediate: shortly after the first alert, never within 5 minutes of the
// previous email; hourly: the next top of the hour), so a burst makes one email.
import { AGENT_ALERTS_JOB } from "@netia/core";
import { z } from "zod";
import { defineJob } from "../../define";

export const agentAlerts = defineJob({
  name: AGENT_ALERTS_JOB,
  payload: z.object({ userId: z.string().min(1).max(100) }),
  retry: { retryLimit: 5, retryDelay: 30, retryBackoff: true },
  policy: "short",
  singletonKey: (payload) => payload.userId,
  expireInSeconds: 120,
  handler: () => import("./agent-alerts.handler").then((m) => m.handleAgentAlerts),
});
