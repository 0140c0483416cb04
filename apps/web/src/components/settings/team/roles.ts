import type { RouterOutputs } from "@/lib/trpc";

export type Role = RouterOutputs["team"]["list"][number]["role"];

/** The roles an admin can give, as the team page names them. */
export const ROLES: readonly { value: Role; label: string }[] = [
  { value: "agent", label: "Agent" },
  { value: "admin", label: "Admin" },
];

export const roleLabel = (role: Role) => ROLES.find((r) => r.value === role)?.label ?? role;
