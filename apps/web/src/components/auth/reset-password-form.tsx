"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useTRPC } from "@/lib/trpc";
import { LOGIN_AFTER_RESET } from "./login-form";
import { NewPasswordField } from "./password-field";

/**
 * `/reset-password/<token>`: sets a new password. Every session of the user
 * ends with it, so they log in again with the new one.
 */
export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const reset = useMutation(
    trpc.auth.resetPassword.mutationOptions({
      onSuccess: () => router.replace(LOGIN_AFTER_RESET),
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    reset.mutate({ token, newPassword: String(form.get("password") ?? "") });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Choose a new password</CardTitle>
        <CardDescription>You will be logged out everywhere and can log in with it.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} data-testid="reset-password-form">
          <NewPasswordField label="New password" />
          <ErrorMessage error={reset.error} testId="form-error" />
          <Button
            type="submit"
            disabled={reset.isPending || reset.isSuccess}
            data-testid="reset-password-submit"
          >
            {reset.isPending ? "Saving…" : "Set new password"}
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            Link not working?{" "}
            <Link href="/forgot-password" className="font-medium text-primary hover:underline">
              Ask for a new one
            </Link>
          </p>
        </form>
      </CardContent>
    </Card>
  );
}
