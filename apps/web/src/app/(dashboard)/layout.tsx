import { AuthGate } from "@/components/auth/auth-gate";
import { CommandPalette } from "@/components/search/command-palette";

export default function DashboardLayout({ children }: { children: React.ReactNode }) {
  return (
    <AuthGate>
      {children}
      <CommandPalette />
    </AuthGate>
  );
}
