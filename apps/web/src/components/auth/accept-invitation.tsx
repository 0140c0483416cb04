"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorMessage } from "@/components/error-message";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { useTRPC } from "@/lib/trpc";
import { NewPasswordField } from "./password-field";

/** `/invite/<token>`: the invitee sees who invited them, picks a name and password, and is in. */
export function AcceptInvitation({ token }: { token: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  // A used, revoked or expired link stays so: asking again would not help.
  const invitation = useQuery(trpc.auth.getInvitation.queryOptions({ token }, { retry: false }));

  const accept = useMutation(
    trpc.auth.acceptInvitation.mutationOptions({
      onSuccess: () => {
        // The new session replaces whoever was signed in on this browser.
        queryClient.clear();
        router.replace("/inbox");
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    accept.mutate({
      token,
      name: String(form.get("name") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
  }

  if (invitation.isError) {
    return (
      <Card data-testid="invitation-unusable">
        <CardHeader>
          <CardTitle>This invitation cannot be used</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4">
          <ErrorMessage error={invitation.error} testId="invitation-error" />
          <p className="text-center text-sm text-muted-foreground">
            Already on a team?{" "}
            <Link href="/login" className="font-medium text-primary hover:underline">
              Log in
            </Link>
          </p>
        </CardContent>
      </Card>
    );
  }

  if (!invitation.data) {
    return (
      <Card>
        <CardContent>
          <p className="text-sm text-muted-foreground" aria-live="polite">
            Checking your invitation…
          </p>
        </CardContent>
      </Card>
    );
  }

  const { companyName, email, role } = invitation.data;
  return (
    <Card>
      <CardHeader>
        <CardTitle>
          Join <span data-testid="invitation-company">{companyName}</span>
        </CardTitle>
        <CardDescription>
          You were invited as {role === "admin" ? "an admin" : "an agent"}. Choose your name and a
          password to start.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} data-testid="invitation-form">
          <div className="grid gap-2">
            <Label htmlFor="email">Email</Label>
            <Input
              id="email"
              type="email"
              value={email}
              readOnly
              aria-readonly
              data-testid="invitation-email"
            />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="name">Your name</Label>
            <Input id="name" name="name" autoComplete="name" maxLength={100} required />
          </div>
          <NewPasswordField />
          <ErrorMessage error={accept.error} testId="form-error" />
          <Button type="submit" disabled={accept.isPending} data-testid="invitation-submit">
            {accept.isPending ? "Joining…" : `Join ${companyName}`}
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
