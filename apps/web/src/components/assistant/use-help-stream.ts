"use client";

// One request for the assistant's help (suggestion, summary or rewrite) at a
// time, streamed over the dashboard's websocket: the text grows as pieces
// arrive, and stopping unsubscribes (the server then stops the provider too).
import { useQuery } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { type RouterInputs, useTRPC, useTRPCClient } from "@/lib/trpc";

export type HelpInput = RouterInputs["assistant"]["help"];

/** Whether help can be asked for on this server, and why not. */
export function useHelpAvailability(): { available: boolean; reason: string | null } {
  const trpc = useTRPC();
  const status = useQuery(trpc.assistant.status.queryOptions());
  if (!status.data) return { available: false, reason: null };
  return { available: status.data.available, reason: status.data.reason };
}

export function useHelpStream() {
  const client = useTRPCClient();
  const current = useRef<{ unsubscribe(): void } | null>(null);
  const [running, setRunning] = useState<HelpInput["kind"] | null>(null);
  const [error, setError] = useState<{ message: string } | null>(null);

  const stop = useCallback(() => {
    current.current?.unsubscribe();
    current.current = null;
    setRunning(null);
  }, []);
  useEffect(() => stop, [stop]);

  /** Streams `input`; `onText` gets the whole text so far after each piece. */
  const start = useCallback(
    (input: HelpInput, onText: (text: string) => void) => {
      stop();
      setError(null);
      setRunning(input.kind);
      let text = "";
      const subscription = client.assistant.help.subscribe(input, {
        onData(event) {
          if ("delta" in event) {
            text += event.delta;
            onText(text);
          }
        },
        onError(err) {
          setError({ message: err.message });
          if (current.current === subscription) current.current = null;
          setRunning(null);
        },
        onComplete() {
          if (current.current === subscription) current.current = null;
          setRunning(null);
        },
      });
      current.current = subscription;
    },
    [client, stop],
  );

  return { start, stop, running, error };
}
