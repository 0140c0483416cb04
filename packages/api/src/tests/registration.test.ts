// Who may create an account (NETIA_REGISTRATION): with `first`, whoever
// installs Netia signs up and nobody after them; with `closed`, nobody. Either
// way an invited person still joins their team. (The other tests run `open`.)
import { signUp } from "@netia/core";
import { type Database, schema } from "@netia/db";
import type { Runtime } from "@netia/runtime";
import { afterAll, describe, expect, it } from "vitest";
import {
  client,
  createTestRuntime,
  openEmptyDatabase,
  testConfig,
  tokenOfLink,
  uniqueEmail,
} from "../testing";

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function emptyDatabase(): Promise<Database> {
  const { database, dispose } = await openEmptyDatabase();
  cleanups.push(dispose);
  return database;
}

/** A runtime on `database` (which the cleanup closes), else on the run's shared one. */
async function runtimeWith(registration: string, database?: Database): Promise<Runtime> {
  const rt = await createTestRuntime({
    config: testConfig({ NETIA_REGISTRATION: registration }),
    ...(database && { database }),
  });
  if (!database) cleanups.push(() => rt.database.close());
  return rt;
}

const newAccount = (companyName: string) => ({
  name: "Owner",
  email: uniqueEmail("owner"),
  password: "correct horse battery",
  companyName,
});

/** An invited agent accepts and is logged in to the inviting account. */
async function expectInvitationStillWorks(rt: Runtime, admin: ReturnType<typeof client>) {
  const email = uniqueEmail("invited");
  const { url } = await admin.team.invite({ email, role: "agent" });
  const invitee = client(rt);
  await invitee.auth.acceptInvitation({
    token: tokenOfLink(url),
    name: "Invited Agent",
    password: "agent password 1",
  });
  const me = await invitee.auth.me();
  expect(me).toMatchObject({ user: { email }, role: "agent" });
  const adminMe = await admin.auth.me();
  expect(me?.account.id).toBe(adminMe?.account.id);
}

describe("NETIA_REGISTRATION", () => {
  it("first: the first sign-up creates the account, every later one is refused with 403", async () => {
    const rt = await runtimeWith("first", await emptyDatabase());
    expect(await client(rt).auth.signUpOpen()).toEqual({ open: true });
    const owner = client(rt);
    await owner.auth.signUp(newAccount("First Co"));

    expect(await client(rt).auth.signUpOpen()).toEqual({ open: false });
    await expect(client(rt).auth.signUp(newAccount("Second Co"))).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/sign-up is closed.*invitation/i),
    });
    await expectInvitationStillWorks(rt, owner);
  });

  it("first: two sign-ups racing on an empty instance create one account", async () => {
    const rt = await runtimeWith("first", await emptyDatabase());
    const results = await Promise.allSettled(
      ["Racer A", "Racer B", "Racer C"].map((name) => client(rt).auth.signUp(newAccount(name))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await rt.db.select().from(schema.accounts)).toHaveLength(1);
  });

  it("closed: nobody signs up, not even the first; an invited agent still joins", async () => {
    const rt = await runtimeWith("closed");
    expect(await client(rt).auth.signUpOpen()).toEqual({ open: false });
    await expect(client(rt).auth.signUp(newAccount("Nope Co"))).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    // An operator creates the first account from a shell (as `netia db seed` does).
    const input = newAccount("Operator Co");
    await signUp(
      { db: rt.db, auth: rt.auth, registration: "open" },
      input,
      new Headers(),
      new Headers(),
    );
    const admin = client(rt);
    await admin.auth.logIn({ email: input.email, password: input.password });
    await expectInvitationStillWorks(rt, admin);
  });

  it("open: anyone signs up", async () => {
    const rt = await runtimeWith("open");
    expect(await client(rt).auth.signUpOpen()).toEqual({ open: true });
    await client(rt).auth.signUp(newAccount("Open One"));
    await client(rt).auth.signUp(newAccount("Open Two"));
  });
});
