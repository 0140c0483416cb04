// Demo data for a first look: one account with an admin, a few customers and
// conversations. Idempotent: a second run finds the demo admin and stops.
import type { Db } from "@netia/db";
import { schema } from "@netia/db";
import { eq } from "drizzle-orm";
import { type AuthDeps, signUp } from "./accounts";
import type { WriteDeps } from "./events";
import { createAgentMessage, createCustomerMessage } from "./message-writes";
import { identifyVisitor } from "./widget";

export const DEMO_ADMIN = {
  name: "Demo Admin",
  email: "demo@netia.dev",
  password: "netia-demo-password",
  companyName: "Demo Company",
};

const demoCustomers = [
  { name: "Ada Lovelace", email: "ada@example.com", text: "Hi! Can I export my invoices as CSV?" },
  { name: "Alan Turing", email: "alan@example.com", text: "The checkout page shows an error." },
  {
    name: "Grace Hopper",
    email: "grace@example.com",
    text: "Do you offer a discount for schools?",
  },
];

export async function seedDemo(
  deps: AuthDeps & WriteDeps,
): Promise<{ created: boolean; email: string }> {
  const db: Db = deps.db;
  const [existing] = await db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(eq(schema.users.email, DEMO_ADMIN.email))
    .limit(1);
  if (existing) return { created: false, email: DEMO_ADMIN.email };

  // Seeding is the operator's own act from a shell, not a sign-up through the web.
  const { user, account } = await signUp(
    { ...deps, registration: "open" },
    DEMO_ADMIN,
    new Headers(),
    new Headers(),
  );
  for (const [i, c] of demoCustomers.entries()) {
    const visitor = await identifyVisitor(db, {
      accountToken: account.id,
      visitorId: `demo-visitor-${i}-${account.id}`,
      customer: { name: c.name, email: c.email },
    });
    const { message } = await createCustomerMessage(deps, {
      accountId: account.id,
      inboxId: visitor.inboxId,
      customerId: visitor.customerId,
      body: c.text,
      clientMessageId: `demo-${i}`,
    });
    if (i === 0) {
      await createAgentMessage(deps, {
        accountId: account.id,
        userId: user.id,
        conversationId: message.conversationId,
        body: "Yes: open **Billing → Invoices** and choose *Export CSV*.",
        kind: "reply",
      });
    }
  }
  return { created: true, email: DEMO_ADMIN.email };
}
