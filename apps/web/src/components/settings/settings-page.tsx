// The frame every settings page shares: a heading, a line on what the page is
// for, and the page's sections below.
export function SettingsPage({
  title,
  description,
  actions,
  width = "narrow",
  children,
}: {
  title: string;
  description: string;
  /** Beside the heading (e.g. the widget's inbox picker). */
  actions?: React.ReactNode;
  width?: "narrow" | "wide";
  children: React.ReactNode;
}) {
  return (
    <div
      className={`mx-auto grid grid-cols-1 gap-6 p-4 sm:p-6 ${width === "wide" ? "max-w-6xl" : "max-w-3xl"}`}
    >
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="text-sm text-muted-foreground">{description}</p>
        </div>
        {actions}
      </div>
      {children}
    </div>
  );
}
