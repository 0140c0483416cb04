import { getAccount, updateAccount } from "@netia/core";
import { z } from "zod";
import { isoDate, withSomeChange, ZText, ZUrl } from "../schemas";
import { adminProcedure, agentProcedure, router } from "../trpc";

const ZWorkingHours = z
  .array(
    z
      .object({
        day: z.number().int().min(0).max(6),
        startMinute: z.number().int().min(0).max(1440),
        endMinute: z.number().int().min(0).max(1440),
      })
      .refine((h) => h.endMinute > h.startMinute, "must end after it starts"),
  )
  .max(21);

export const AWAY_MESSAGE_MAX = 1000;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const ZAccount = z.object({
  id: z.string(),
  companyName: z.string(),
  logoUrl: z.string().nullable(),
  timeZone: z.string(),
  workingHours: ZWorkingHours,
  /** Shown in the chat widget to visitors outside working hours; null: none. */
  awayMessage: z.string().nullable(),
  /** The From name of the account's emails; null: the company name. */
  emailSenderName: z.string().nullable(),
  /** Minutes a customer's unread agent reply waits before it is emailed; null: never. */
  customerEmailAfterMinutes: z.number().int().nullable(),
  createdAt: isoDate,
});

export const ZUpdateAccountInput = withSomeChange(
  z.object({
    companyName: ZText.trim().min(1).max(200).optional(),
    logoUrl: ZUrl.max(2000).nullable().optional(),
    timeZone: ZText.max(64).refine(isTimeZone, "must be an IANA time zone").optional(),
    workingHours: ZWorkingHours.optional(),
    /** Markdown, as the widget renders it; empty clears it. */
    awayMessage: ZText.trim()
      .max(AWAY_MESSAGE_MAX)
      .transform((text) => text || null)
      .nullable()
      .optional(),
    /** Empty: the company name is used. */
    emailSenderName: ZText.trim()
      .max(100)
      .refine((name) => !/[\r\n<>]/.test(name), "must not contain line breaks, < or >")
      .transform((name) => name || null)
      .nullable()
      .optional(),
    /** Null: customers are never emailed agents' replies they have not seen. */
    customerEmailAfterMinutes: z.number().int().min(1).max(1440).nullable().optional(),
  }),
);

export const accountRouter = router({
  get: agentProcedure
    .output(ZAccount)
    .query(({ ctx }) => getAccount(ctx.db, { accountId: ctx.agent.accountId })),

  update: adminProcedure
    .input(ZUpdateAccountInput)
    .output(ZAccount)
    .mutation(({ ctx, input }) =>
      updateAccount(ctx.db, { accountId: ctx.agent.accountId, ...input }),
    ),
});
