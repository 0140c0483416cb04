"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/lib/trpc";

/**
 * Asks for a password-reset link. The answer is the same whether or not the
 * email has a login, so the page cannot be used to find out who does.
 */
export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const request = useMutation(trpc.auth.requestPasswordReset.mutationOptions());

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    request.mutate({ email: String(form.get("email") ?? "").trim() });
  }

  if (request.isSuccess) {
    return (
      <Card data-testid="reset-requested">
        <CardHeader>
          <CardTitle>Check your email</CardTitle>
          <CardDescription role="status">
            If {request.variables.email} has a Netia login, a link to choose a new password is on
            its way. The link works for one hour.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <p className="text-center text-sm text-muted-foreground">
            <Link href="/login" className="font-medium text-primary hover:underline">
              Back to log in
            </Link>
          </p>
        </CardContent>
      </Card>
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Forgot your password?</CardTitle>
        <CardDescription>
          Enter the email you log in with and we will send you a link to choose a new one.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} data-testid="forgot-password-form">
          <div className="grid gap-2">
            <Label htmlFor="email">Email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <ErrorMessage error={request.error} testId="form-error" />
          <Button type="submit" disabled={request.isPending} data-testid="forgot-password-submit">
            {request.isPending ? "Sending…" : "Send reset link"}
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            Remembered it?{" "}
            <Link href="/login" className="font-medium text-primary hover:underline">
              Log in
            </Link>
          </p>
        </form>
      </CardContent>
    </Card>
  );
}
