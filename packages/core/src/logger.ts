// Structured logs (pino). Lines about a conversation carry `conversation:<id>`
// in their message so `grep "conversation:ID"` finds a conversation's story.
import pino from "pino";

export type Logger = pino.Logger;

/** Logs to stdout, or to `destination` (tests read what was logged). */
export function createLogger(
  level: pino.LevelWithSilent = "info",
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    // Upper-case level names so operators can `grep ERROR`.
    formatters: { level: (label) => ({ level: label.toUpperCase() }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export const conversationTag = (id: string) => `conversation:${id}`;
