// What the install routes of every integration (Gmail, Slack) share: the
// settings page they send the admin back to, with a message, and the check
// that whoever starts a connection is a signed-in admin.
import { type AgentSession, getAgentSession } from "@netia/core";
import type { Runtime } from "@netia/runtime";

/** The settings page at `path` with a message for the admin. */
export function settingsUrl(rt: Runtime, path: string, params: Record<string, string>): string {
  const url = new URL(path, rt.config.appUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * The signed-in admin starting a connection to `provider`, or where to send
 * anyone else: the login page, or the settings page saying only admins may.
 */
export async function adminStartingConnection(
  rt: Runtime,
  headers: Headers,
  settingsPath: string,
  provider: string,
): Promise<{ agent: AgentSession } | { redirect: string }> {
  const agent = await getAgentSession(rt.db, rt.auth, headers);
  if (!agent) return { redirect: new URL("/login", rt.config.appUrl).toString() };
  if (agent.role !== "admin") {
    return {
      redirect: settingsUrl(rt, settingsPath, { error: `Only an admin can connect ${provider}` }),
    };
  }
  return { agent };
}

/**
 * What a provider's OAuth callback brings back: the code and state, with the
 * signed-in member they return to, or where to send them when the provider
 * was refused, sent no code, or nobody is signed in.
 */
export async function readOAuthCallback(
  rt: Runtime,
  request: { url: string; headers: Headers },
  settingsPath: string,
  provider: string,
): Promise<{ agent: AgentSession; code: string; state: string } | { redirect: string }> {
  const params = new URL(request.url).searchParams;
  const denied = params.get("error");
  if (denied) {
    return {
      redirect: settingsUrl(rt, settingsPath, {
        error: `${provider} said: ${denied.slice(0, 100)}`,
      }),
    };
  }
  const code = params.get("code");
  const state = params.get("state");
  if (!code || !state) {
    return {
      redirect: settingsUrl(rt, settingsPath, { error: `${provider} sent no code; start again` }),
    };
  }
  const agent = await getAgentSession(rt.db, rt.auth, request.headers);
  if (!agent) return { redirect: new URL("/login", rt.config.appUrl).toString() };
  return { agent, code, state };
}
