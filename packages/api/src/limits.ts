// The numbers that bound what one request or one websocket may ask of a node,
// in one place so the router, the HTTP route and the docs agree.

/** Calls one HTTP batch may carry (`/api/trpc/a,b,c?batch=1`); the dashboard sends a handful. */
export const MAX_CALLS_PER_BATCH = 50;

/** Live subscriptions one websocket may hold at once; a dashboard tab holds one or two. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 50;

/**
 * How long an open websocket may act on the authority it last read, should a
 * bus announcement of a change be lost: every node re-reads its sockets'
 * sessions and memberships this often, and at once after a bus resync.
 */
export const AUTHORITY_RECHECK_MS = 30_000;

/**
 * Close code of a websocket whose session ended or whose role changed: the
 * client reconnects and authenticates again with what its cookie is worth now.
 */
export const AUTHORITY_CHANGED_CLOSE_CODE = 4001;
