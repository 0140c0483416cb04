"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/lib/trpc";
import { safeNextPath } from "./next-path";

const PASSWORD_CHANGED = ["password", "changed"] as const;
/** Where the reset page sends a user with a new password; this form then says so. */
export const LOGIN_AFTER_RESET = `/login?${PASSWORD_CHANGED[0]}=${PASSWORD_CHANGED[1]}`;

export function LoginForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const params = useSearchParams();
  const next = safeNextPath(params.get("next"));
  const passwordChanged = params.get(PASSWORD_CHANGED[0]) === PASSWORD_CHANGED[1];

  const logIn = useMutation(
    trpc.auth.logIn.mutationOptions({
      onSuccess: () => {
        // Nothing cached for a previous user may leak into this session.
        queryClient.clear();
        router.replace(next);
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    logIn.mutate({
      email: String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Log in</CardTitle>
        <CardDescription>Welcome back. Your customers are waiting.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} data-testid="login-form">
          {passwordChanged && (
            <p
              role="status"
              className="rounded-md border border-success/40 bg-success-soft px-3 py-2 text-sm text-success-foreground"
              data-testid="password-changed"
            >
              Your password is changed. Log in with the new one.
            </p>
          )}
          <div className="grid gap-2">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <div className="grid gap-2">
            <div className="flex items-center justify-between">
              <Label htmlFor="password">Password</Label>
              <Link
                href="/forgot-password"
                className="text-sm text-primary hover:underline"
                data-testid="forgot-password-link"
              >
                Forgot password?
              </Link>
            </div>
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          </div>
          <ErrorMessage error={logIn.error} testId="form-error" />
          <Button type="submit" disabled={logIn.isPending} data-testid="login-submit">
            {logIn.isPending ? "Logging in…" : "Log in"}
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            New to Netia?{" "}
            <Link href="/signup" className="font-medium text-primary hover:underline">
              Create an account
            </Link>
          </p>
        </form>
      </CardContent>
    </Card>
  );
}
