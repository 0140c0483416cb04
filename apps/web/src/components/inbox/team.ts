"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useTRPC } from "@/lib/trpc";

const EMPTY = new Map<string, string>();

/** Team members' names by user id, to name the agents in a conversation. */
export function useAgentNames(): ReadonlyMap<string, string> {
  const trpc = useTRPC();
  const team = useQuery(trpc.team.list.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  return useMemo(
    () => (team.data ? new Map(team.data.map((m) => [m.userId, m.name])) : EMPTY),
    [team.data],
  );
}
