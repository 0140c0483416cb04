export { bossConnection, executorFor } from "./connection";
export {
  type AnyJobDefinition,
  defineJob,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobName,
  type JobPayload,
  type JobRegistry,
  jobRegistry,
  type QueuePolicy,
  type RetryPolicy,
  type RunningJob,
} from "./define";
export { jobDefinitions, type NetiaJobs } from "./definitions/index";
export {
  createJobs,
  DEAD_LETTER_QUEUE,
  type EnqueueOptions,
  type FailedJob,
  type Jobs,
  type JobsHealth,
  type JobsOptions,
} from "./jobs";
