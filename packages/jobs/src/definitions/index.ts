// Every job kind Netia runs, listed once. Add a definition here and
// `enqueue(tx, "<name>", payload)` is type-checked against its payload schema.
import { jobRegistry } from "../define";
import { embedArticle } from "./ai/embed-article";
import { aiReply } from "./ai/reply";
import { expireUploads } from "./maintenance/expire-uploads";

export const jobDefinitions = jobRegistry(expireUploads, aiReply, embedArticle);

export type NetiaJobs = typeof jobDefinitions;
