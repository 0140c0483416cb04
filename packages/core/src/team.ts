// The people of an account: members with a role, invitations, disabling.
import type { Db, Tx } from "@netia/db";
import { schema } from "@netia/db";
import { invitationEmail } from "@netia/email";
import { and, asc, count, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { type AuthDeps, createUserThen } from "./accounts";
import { announceAuthorityChange } from "./authority";
import { assertWithinLimit, type BillingConfig } from "./billing/limits";
import { AppError, notFound } from "./errors";
import type { WriteDeps } from "./events";
import { invitationUrl } from "./links";
import { type EmailJobs, queueEmail } from "./outbound-email";
import { hashToken, newToken } from "./tokens";

const { memberships, users, invitations, accounts, sessions } = schema;

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What the invitee reads for a used, revoked or unknown link (they cannot tell which). */
const INVITATION_UNUSABLE =
  "This invitation link is no longer valid: it was already used or withdrawn, or it is incomplete. Ask your team's admin for a new one";

export async function listMembers(db: Db, { accountId }: { accountId: string }) {
  return db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      disabledAt: memberships.disabledAt,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.accountId, accountId))
    .orderBy(asc(memberships.createdAt), asc(users.id));
}

async function getMembership(db: Db, accountId: string, userId: string) {
  const [row] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.accountId, accountId), eq(memberships.userId, userId)))
    .limit(1);
  if (!row) throw notFound("Team member");
  return row;
}

/** Ensures `userId` belongs to the account (for assignees and the like). */
export async function assertMember(db: Db, accountId: string, userId: string) {
  await getMembership(db, accountId, userId);
}

/**
 * Invites `email` to the account. Whether the email has a Netia login on
 * another team is none of this team's business: the answer is the same
 * either way (only someone already on this team is refused, which the team
 * list shows anyway). A login belongs to one team, so such an invitation
 * cannot be accepted; acceptInvitation says so to whoever opens it.
 */
export async function inviteMember(
  deps: InvitationDeps,
  input: { accountId: string; invitedById: string; email: string; role: "admin" | "agent" },
) {
  const { db } = deps;
  const email = input.email.toLowerCase();
  const [member] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.accountId, input.accountId), eq(users.email, email)))
    .limit(1);
  if (member) throw new AppError("CONFLICT", `${email} is already on your team`);
  const token = newToken();
  // The invitation and its email commit together: no invitation without its email.
  const invitation = await db.transaction(async (tx) => {
    // A pending invitation takes a seat: it becomes a member when accepted.
    await assertWithinLimit(tx, deps.config, input.accountId, "seats");
    const [row] = await tx
      .insert(invitations)
      .values({
        accountId: input.accountId,
        email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedById: input.invitedById,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    if (!row) throw new Error("invitation insert returned nothing");
    await queueInvitationEmail(tx, deps, row, token);
    return row;
  });
  return { invitation: publicInvitation(invitation), token };
}

/** What inviting needs beyond the database: the queue and the link's address. */
export type InvitationDeps = {
  db: Db;
  jobs: EmailJobs;
  /** SMTP_FROM (config.email.from). */
  from: string;
  /** Where the dashboard is served (config.appUrl): the link points there. */
  appUrl: string;
  /** The billing settings: an invitation takes one of the plan's seats. */
  config: BillingConfig;
};

/** Renders the invitation email and queues it in `tx`, beside the invitation row. */
async function queueInvitationEmail(
  tx: Tx,
  deps: InvitationDeps,
  invitation: typeof invitations.$inferSelect,
  token: string,
) {
  const [about] = await tx
    .select({ companyName: accounts.companyName, inviterName: users.name })
    .from(accounts)
    .leftJoin(users, eq(users.id, invitation.invitedById ?? ""))
    .where(eq(accounts.id, invitation.accountId))
    .limit(1);
  const email = await invitationEmail({
    companyName: about?.companyName ?? "your team",
    inviterName: about?.inviterName ?? null,
    role: invitation.role,
    acceptUrl: invitationUrl(deps.appUrl, token),
    expiresInDays: Math.round(INVITATION_TTL_MS / (24 * 60 * 60 * 1000)),
  });
  await queueEmail(tx, deps, {
    accountId: invitation.accountId,
    kind: "invitation",
    to: invitation.email,
    ...email,
    // Not sensitive: every admin can already see and renew the link in the team settings.
  });
}

function publicInvitation(row: typeof invitations.$inferSelect) {
  const { tokenHash: _hidden, ...rest } = row;
  return rest;
}

export async function listInvitations(db: Db, { accountId }: { accountId: string }) {
  const rows = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.accountId, accountId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
  return rows.map(publicInvitation);
}

export async function revokeInvitation(
  db: Db,
  { accountId, id }: { accountId: string; id: string },
) {
  const [row] = await db
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invitations.accountId, accountId),
        eq(invitations.id, id),
        isNull(invitations.acceptedAt),
      ),
    )
    .returning();
  if (!row) throw notFound("Invitation");
}

/**
 * Gives a pending invitation a new token and a fresh expiry ("resend"): the
 * old link stops working, so a link sent to the wrong place can be replaced.
 */
export async function renewInvitation(
  deps: InvitationDeps,
  { accountId, id }: { accountId: string; id: string },
) {
  const token = newToken();
  const row = await deps.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ expiresAt: invitations.expiresAt })
      .from(invitations)
      .where(and(eq(invitations.accountId, accountId), eq(invitations.id, id)))
      .limit(1);
    // An expired invitation holds no seat; renewing it takes one again.
    if (current && current.expiresAt <= new Date()) {
      await assertWithinLimit(tx, deps.config, accountId, "seats");
    }
    const [renewed] = await tx
      .update(invitations)
      .set({ tokenHash: hashToken(token), expiresAt: new Date(Date.now() + INVITATION_TTL_MS) })
      .where(
        and(
          eq(invitations.accountId, accountId),
          eq(invitations.id, id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning();
    if (!renewed) throw notFound("Invitation");
    await queueInvitationEmail(tx, deps, renewed, token);
    return renewed;
  });
  return { invitation: publicInvitation(row), token };
}

async function findUsableInvitation(db: Db, token: string) {
  const [row] = await db
    .select({ invitation: invitations, companyName: accounts.companyName })
    .from(invitations)
    .innerJoin(accounts, eq(accounts.id, invitations.accountId))
    .where(eq(invitations.tokenHash, hashToken(token)))
    .limit(1);
  const invitation = row?.invitation;
  if (!row || !invitation || invitation.revokedAt || invitation.acceptedAt) {
    throw new AppError("NOT_FOUND", INVITATION_UNUSABLE);
  }
  if (invitation.expiresAt <= new Date()) {
    throw new AppError("BAD_REQUEST", "This invitation has expired; ask for a new one");
  }
  return { invitation, companyName: row.companyName };
}

/** What the accept-invitation page shows before the invitee sets a password. */
export async function getInvitationByToken(db: Db, { token }: { token: string }) {
  const { invitation, companyName } = await findUsableInvitation(db, token);
  return { email: invitation.email, role: invitation.role, companyName };
}

export async function acceptInvitation(
  deps: AuthDeps,
  input: { token: string; name: string; password: string },
  headers: Headers,
  resHeaders: Headers,
) {
  const { invitation } = await findUsableInvitation(deps.db, input.token);
  const [existing] = await deps.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, invitation.email))
    .limit(1);
  if (existing) {
    throw new AppError(
      "CONFLICT",
      `${invitation.email} already has a Netia login, and a login belongs to one team; ask for an invitation to another email address`,
    );
  }
  const { userId } = await createUserThen(
    deps,
    { name: input.name, email: invitation.email, password: input.password },
    headers,
    resHeaders,
    async (tx, userId) => {
      // Claim the invitation in the same transaction: a token is used once.
      const claimed = await tx
        .update(invitations)
        .set({ acceptedAt: new Date() })
        .where(and(eq(invitations.id, invitation.id), isNull(invitations.acceptedAt)))
        .returning({ id: invitations.id });
      if (claimed.length === 0) throw new AppError("NOT_FOUND", INVITATION_UNUSABLE);
      await tx
        .insert(memberships)
        .values({ accountId: invitation.accountId, userId, role: invitation.role });
    },
  );
  return { user: { id: userId, name: input.name, email: invitation.email } };
}

async function countActiveAdmins(db: Db, accountId: string) {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(
      and(
        eq(memberships.accountId, accountId),
        eq(memberships.role, "admin"),
        isNull(memberships.disabledAt),
      ),
    );
  return row?.n ?? 0;
}

/** Open sockets of the member take the new role within seconds (authority.ts). */
export async function updateMemberRole(
  deps: WriteDeps,
  input: { accountId: string; userId: string; role: "admin" | "agent" },
) {
  await deps.db.transaction(async (tx) => {
    // Serialise role changes per account so two demotions cannot leave no admin.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.accountId}))`);
    const member = await getMembership(tx, input.accountId, input.userId);
    if (member.role === "admin" && input.role === "agent" && !member.disabledAt) {
      if ((await countActiveAdmins(tx, input.accountId)) <= 1) {
        throw new AppError("BAD_REQUEST", "An account needs at least one admin");
      }
    }
    await tx.update(memberships).set({ role: input.role }).where(eq(memberships.id, member.id));
  });
  announceAuthorityChange(deps, { userId: input.userId });
}

/**
 * Disabling ends the member's sessions at once, open sockets included; their
 * messages stay. Enabling takes a seat of the plan again.
 */
export async function setMemberDisabled(
  deps: WriteDeps & { config: BillingConfig },
  input: { accountId: string; actorId: string; userId: string; disabled: boolean },
) {
  if (input.actorId === input.userId) {
    throw new AppError("BAD_REQUEST", "You cannot disable yourself");
  }
  await deps.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${input.accountId}))`);
    const member = await getMembership(tx, input.accountId, input.userId);
    if (!input.disabled && member.disabledAt) {
      await assertWithinLimit(tx, deps.config, input.accountId, "seats");
    }
    if (input.disabled && member.role === "admin" && !member.disabledAt) {
      if ((await countActiveAdmins(tx, input.accountId)) <= 1) {
        throw new AppError("BAD_REQUEST", "An account needs at least one admin");
      }
    }
    await tx
      .update(memberships)
      .set({ disabledAt: input.disabled ? (member.disabledAt ?? new Date()) : null })
      .where(eq(memberships.id, member.id));
    if (input.disabled) await tx.delete(sessions).where(eq(sessions.userId, input.userId));
  });
  announceAuthorityChange(deps, { userId: input.userId });
}
