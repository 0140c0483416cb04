// What the baseline servers (socketio-node.ts, trpc-floor-node.ts) do for a
// customer's message, in one place so both do exactly the same: one INSERT
// into Netia's own `messages` table with plain `pg`, returning the row.
import pg from "pg";

/** Who a client says it is, trusted as is (no session lookup). */
export type BaselineAuth = {
  role?: string;
  accountId?: string;
  conversationId?: string;
  customerId?: string;
};

const INSERT = `insert into messages (account_id, conversation_id, type, sender_type, customer_id, body, client_message_id)
  values ($1, $2, 'reply', 'customer', $3, $4, $5)
  returning *`;

/** A pool of POOL_SIZE connections to DATABASE_URL, or null without one. */
export function baselinePool(): pg.Pool | null {
  const databaseUrl = process.env.DATABASE_URL;
  return databaseUrl
    ? new pg.Pool({ connectionString: databaseUrl, max: Number(process.env.POOL_SIZE ?? 10) })
    : null;
}

export async function insertMessage(
  pool: pg.Pool,
  auth: BaselineAuth,
  input: { body: string; clientMessageId: string },
): Promise<Record<string, unknown>> {
  const { rows } = await pool.query(INSERT, [
    auth.accountId,
    auth.conversationId,
    auth.customerId,
    input.body,
    input.clientMessageId,
  ]);
  return rows[0];
}
