"use client";

import { Button } from "@/components/ui/button";
import type { OlderMessages } from "../jump-to-message";

/**
 * The row above the first loaded message. Older pages load by themselves as
 * the agent scrolls up; the button does the same for keyboards and for a
 * thread too short to scroll. Its height never changes, so swapping its
 * content cannot move the messages below it.
 */
export function OlderMessagesRow({ older, height }: { older: OlderMessages; height: number }) {
  return (
    <div
      className="absolute top-0 left-0 flex w-full items-center justify-center"
      style={{ height }}
      data-testid="older-messages"
    >
      {older.cursor === null ? (
        <span className="text-xs text-muted-foreground">Beginning of the conversation</span>
      ) : (
        <Button variant="outline" size="sm" onClick={older.load} disabled={older.loading}>
          {older.loading ? "Loading…" : "Load earlier messages"}
        </Button>
      )}
    </div>
  );
}
