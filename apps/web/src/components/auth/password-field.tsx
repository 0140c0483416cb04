import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";

/** A new password, with the rule the server applies (better-auth: 8 to 128 characters). */
export function NewPasswordField({ label = "Password" }: { label?: string }) {
  return (
    <div className="grid gap-2">
      <Label htmlFor="password">{label}</Label>
      <Input
        id="password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={8}
        maxLength={128}
        required
        aria-describedby="password-hint"
      />
      <p id="password-hint" className="text-xs text-muted-foreground">
        At least 8 characters.
      </p>
    </div>
  );
}
