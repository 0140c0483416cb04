// Structured logs (pino). Lines about a conversation carry `conversation:<id>`
// in their message so `grep "conversation:ID"` finds a conversation's story.
import pino from "pino";

export type Logger = pino.Logger;

export function createLogger(level: pino.LevelWithSilent = "info"): Logger {
  return pino({
    level,
    base: undefined,
    // Upper-case level names so operators can `grep ERROR`.
    formatters: { level: (label) => ({ level: label.toUpperCase() }) },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

export const conversationTag = (id: string) => `conversation:${id}`;
