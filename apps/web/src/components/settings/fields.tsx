"use client";

// Form pieces of the settings pages: a labelled field with its hint and error,
// a switch, a group of choices, and a section card.
import { CircleAlert } from "lucide-react";
import { useId } from "react";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/utils";

/** The ids a control needs to point at its hint and its error. */
export function describedBy(id: string, hint?: React.ReactNode, error?: string) {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

export function FieldError({ id, error, name }: { id: string; error?: string; name?: string }) {
  if (!error) return null;
  return (
    <p
      id={`${id}-error`}
      className="flex items-start gap-1.5 text-sm text-destructive"
      data-testid={name ? `field-error-${name}` : undefined}
    >
      <CircleAlert className="mt-0.5 size-3.5 shrink-0" aria-hidden />
      <span>{error}</span>
    </p>
  );
}

/**
 * A label, the control, a hint and the error. `children` gets the control's
 * id and its aria attributes.
 */
export function Field({
  label,
  hint,
  error,
  name,
  className,
  children,
}: {
  label: string;
  hint?: React.ReactNode;
  error?: string;
  /** The setting's key, for the error's test id. */
  name?: string;
  className?: string;
  children: (control: {
    id: string;
    "aria-describedby"?: string;
    "aria-invalid"?: true;
  }) => React.ReactNode;
}) {
  const id = useId();
  return (
    <div className={cn("grid content-start gap-2", className)}>
      <Label htmlFor={id}>{label}</Label>
      {children({
        id,
        "aria-describedby": describedBy(id, hint, error),
        ...(error ? { "aria-invalid": true as const } : {}),
      })}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} name={name} />
    </div>
  );
}

/** An on/off setting: a native checkbox shown as a switch, with its label and hint. */
export function Switch({
  checked,
  onChange,
  label,
  hint,
  disabled,
  testId,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  hint?: React.ReactNode;
  disabled?: boolean;
  testId?: string;
}) {
  const id = useId();
  return (
    <div className="flex items-start justify-between gap-4">
      <div className="grid gap-1">
        <label htmlFor={id} className="text-sm font-medium leading-none">
          {label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        ) : null}
      </div>
      <span className="relative inline-flex shrink-0">
        <input
          id={id}
          type="checkbox"
          role="switch"
          checked={checked}
          aria-checked={checked}
          disabled={disabled}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onChange={(e) => onChange(e.target.checked)}
          data-testid={testId}
          className="peer h-5 w-9 cursor-pointer appearance-none rounded-full bg-input transition-colors outline-none checked:bg-primary focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 disabled:cursor-not-allowed disabled:opacity-50"
        />
        <span
          aria-hidden
          className="pointer-events-none absolute top-0.5 left-0.5 size-4 rounded-full bg-background shadow-sm transition-transform peer-checked:translate-x-4"
        />
      </span>
    </div>
  );
}

/** A small group of exclusive choices (native radios: arrow keys move between them). */
export function Choice<T extends string>({
  legend,
  value,
  options,
  onChange,
  disabled,
  name,
  className,
}: {
  legend: string;
  value: T;
  options: readonly { value: T; label: React.ReactNode }[];
  onChange: (value: T) => void;
  disabled?: boolean;
  name: string;
  className?: string;
}) {
  const group = useId();
  return (
    <fieldset className={cn("grid gap-2", className)} disabled={disabled}>
      <legend className="mb-2 text-sm font-medium leading-none">{legend}</legend>
      <div className="inline-flex w-fit rounded-md border bg-muted p-0.5">
        {options.map((option) => (
          <label
            key={option.value}
            className="relative flex cursor-pointer items-center gap-1.5 rounded-[5px] px-3 py-1 text-sm text-muted-foreground transition-colors has-[:checked]:bg-background has-[:checked]:text-foreground has-[:checked]:shadow-sm has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring has-[:disabled]:cursor-not-allowed [&_svg]:size-4"
          >
            <input
              type="radio"
              name={`${name}-${group}`}
              value={option.value}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              className="sr-only"
            />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Section({
  title,
  description,
  children,
  className,
  id,
  actions,
}: {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  className?: string;
  id?: string;
  actions?: React.ReactNode;
}) {
  const headingId = useId();
  return (
    <section
      id={id}
      aria-labelledby={headingId}
      className={cn("min-w-0 rounded-xl border bg-card text-card-foreground shadow-sm", className)}
    >
      <div className="flex items-start justify-between gap-4 border-b px-5 py-4">
        <div className="grid gap-1">
          <h2 id={headingId} className="text-base font-semibold leading-tight">
            {title}
          </h2>
          {description ? <p className="text-sm text-muted-foreground">{description}</p> : null}
        </div>
        {actions}
      </div>
      <div className="grid grid-cols-1 gap-5 px-5 py-5">{children}</div>
    </section>
  );
}
