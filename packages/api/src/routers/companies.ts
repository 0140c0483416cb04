import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  updateCompany,
} from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import {
  isoDate,
  nullableIsoDate,
  ok,
  withSomeChange,
  ZCursor,
  ZId,
  ZLimit,
  ZMetadata,
  ZName,
  ZOk,
  ZText,
  ZUrl,
} from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

/** A website as people type it: "acme.com" means https://acme.com. */
const ZWebsite = ZText.trim()
  .max(300)
  .transform((site) => (/^https?:\/\//i.test(site) ? site : `https://${site}`))
  .pipe(ZUrl);

export const ZCompany = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});

export const ZListCompaniesInput = z.object({
  query: ZText.trim().max(200).optional(),
  cursor: ZCursor.optional(),
  limit: ZLimit,
});

export const ZCreateCompanyInput = z.object({
  name: ZName,
  website: ZWebsite.nullable().optional(),
  metadata: ZMetadata.optional(),
});

export const ZUpdateCompanyInput = withSomeChange(
  z.object({
    id: ZId,
    name: ZName.optional(),
    website: ZWebsite.nullable().optional(),
    metadata: ZMetadata.optional(),
  }),
  "id",
);

const route = restRoutes("Companies");

export const companiesRouter = router({
  list: apiKeyProcedure("read")
    .meta(route("GET", "/v1/companies", "List or search companies"))
    .input(ZListCompaniesInput)
    .output(
      z.object({
        items: z.array(ZCompany.extend({ customerCount: z.number() })),
        nextCursor: z.string().nullable(),
      }),
    )
    .query(({ ctx, input }) => listCompanies(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  get: apiKeyProcedure("read")
    .meta(route("GET", "/v1/companies/{id}", "Get a company with its customers and conversations"))
    .input(z.object({ id: ZId }))
    .output(
      ZCompany.extend({
        customers: z.array(
          z.object({
            id: z.string(),
            name: z.string().nullable(),
            email: z.string().nullable(),
            lastSeenAt: nullableIsoDate,
          }),
        ),
        conversations: z.array(
          z.object({
            id: z.string(),
            customerId: z.string(),
            status: z.enum(["open", "closed", "snoozed"]),
            subject: z.string().nullable(),
            lastActivityAt: isoDate,
          }),
        ),
      }),
    )
    .query(({ ctx, input }) => getCompany(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  create: apiKeyProcedure("write")
    .meta(route("POST", "/v1/companies", "Create a company"))
    .input(ZCreateCompanyInput)
    .output(ZCompany)
    .mutation(({ ctx, input }) =>
      createCompany(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  update: apiKeyProcedure("write")
    .meta(route("PATCH", "/v1/companies/{id}", "Update a company"))
    .input(ZUpdateCompanyInput)
    .output(ZCompany)
    .mutation(({ ctx, input }) =>
      updateCompany(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),

  delete: apiKeyProcedure("admin")
    .meta(
      route("DELETE", "/v1/companies/{id}", "Delete a company", {
        description: "Its customers stay, without a company. Needs the admin scope.",
      }),
    )
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteCompany(ctx.db, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
