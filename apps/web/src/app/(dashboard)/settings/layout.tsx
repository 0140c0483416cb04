import { SettingsNav } from "@/components/settings/settings-nav";

export default function SettingsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-0 min-w-0 flex-1 flex-col md:flex-row">
      <SettingsNav />
      <main className="min-h-0 min-w-0 flex-1 overflow-y-auto bg-muted/20">{children}</main>
    </div>
  );
}
