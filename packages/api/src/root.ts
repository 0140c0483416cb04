import { accountRouter } from "./routers/account";
import { apiKeysRouter } from "./routers/api-keys";
import { assistantRouter } from "./routers/assistant";
import { authRouter } from "./routers/auth";
import { companiesRouter } from "./routers/companies";
import { conversationsRouter } from "./routers/conversations";
import { customersRouter } from "./routers/customers";
import { dashboardRouter } from "./routers/dashboard";
import { emailRouter } from "./routers/email";
import { gmailRouter } from "./routers/gmail";
import { inboxesRouter } from "./routers/inboxes";
import { knowledgeRouter } from "./routers/knowledge";
import { messagesRouter } from "./routers/messages";
import { notesRouter } from "./routers/notes";
import { notificationsRouter } from "./routers/notifications";
import { onboardingRouter } from "./routers/onboarding";
import { profileRouter } from "./routers/profile";
import { reportsRouter } from "./routers/reports";
import { savedRepliesRouter } from "./routers/saved-replies";
import { searchRouter } from "./routers/search";
import { slackRouter } from "./routers/slack";
import { slackSupportRouter } from "./routers/slack-support";
import { tagsRouter } from "./routers/tags";
import { teamRouter } from "./routers/team";
import { webhooksRouter } from "./routers/webhooks";
import { widgetRouter } from "./routers/widget";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  account: accountRouter,
  profile: profileRouter,
  team: teamRouter,
  inboxes: inboxesRouter,
  customers: customersRouter,
  companies: companiesRouter,
  conversations: conversationsRouter,
  messages: messagesRouter,
  tags: tagsRouter,
  notes: notesRouter,
  savedReplies: savedRepliesRouter,
  widget: widgetRouter,
  assistant: assistantRouter,
  knowledge: knowledgeRouter,
  dashboard: dashboardRouter,
  search: searchRouter,
  notifications: notificationsRouter,
  onboarding: onboardingRouter,
  reports: reportsRouter,
  email: emailRouter,
  gmail: gmailRouter,
  webhooks: webhooksRouter,
  slackSupport: slackSupportRouter,
  slack: slackRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
