import { createTag, deleteTag, listTags, updateTag } from "@netia/core";
import { z } from "zod";
import { restRoutes } from "../rest-routes";
import { ok, withSomeChange, ZColor, ZId, ZOk, ZTag, ZText } from "../schemas";
import { apiKeyProcedure, router } from "../trpc";

const route = restRoutes("Tags");

const ZTagName = ZText.trim().min(1).max(50);

export const tagsRouter = router({
  list: apiKeyProcedure("read")
    .meta(route("GET", "/v1/tags", "List the tags"))
    .output(z.array(ZTag))
    .query(({ ctx }) => listTags(ctx.db, { accountId: ctx.agent.accountId })),

  create: apiKeyProcedure("write")
    .meta(route("POST", "/v1/tags", "Create a tag"))
    .input(z.object({ name: ZTagName, color: ZColor.nullable().optional() }))
    .output(ZTag)
    .mutation(({ ctx, input }) => createTag(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  update: apiKeyProcedure("admin")
    .meta(route("PATCH", "/v1/tags/{id}", "Rename or recolour a tag (admin scope)"))
    .input(
      withSomeChange(
        z.object({ id: ZId, name: ZTagName.optional(), color: ZColor.nullable().optional() }),
        "id",
      ),
    )
    .output(ZTag)
    .mutation(({ ctx, input }) => updateTag(ctx.db, { accountId: ctx.agent.accountId, ...input })),

  delete: apiKeyProcedure("admin")
    .meta(route("DELETE", "/v1/tags/{id}", "Delete a tag (admin scope)"))
    .input(z.object({ id: ZId }))
    .output(ZOk)
    .mutation(async ({ ctx, input }) => {
      await deleteTag(ctx.rt, { accountId: ctx.agent.accountId, ...input });
      return ok;
    }),
});
