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

export function SignupForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  // NETIA_REGISTRATION may close sign-up; the server refuses it either way.
  const signUpOpen = useQuery(trpc.auth.signUpOpen.queryOptions());

  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        router.replace("/inbox");
      },
    }),
  );

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? "");
    signUp.mutate({
      name: field("name").trim(),
      email: field("email").trim(),
      password: field("password"),
      companyName: field("companyName").trim(),
    });
  }

  if (signUpOpen.data?.open === false) {
    return (
      <Card data-testid="signup-closed">
        <CardHeader>
          <CardTitle>Sign-up is closed</CardTitle>
          <CardDescription>
            This Netia server does not take new accounts. Ask an admin of your team for an
            invitation.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <p className="text-center text-sm text-muted-foreground">
            Already have an account?{" "}
            <Link href="/login" className="font-medium text-primary hover:underline">
              Log in
            </Link>
          </p>
        </CardContent>
      </Card>
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create your Netia account</CardTitle>
        <CardDescription>Set up a workspace for your team in a minute.</CardDescription>
      </CardHeader>
      <CardContent>
        <form className="grid gap-4" onSubmit={onSubmit} data-testid="signup-form">
          <div className="grid gap-2">
            <Label htmlFor="name">Your name</Label>
            <Input id="name" name="name" autoComplete="name" required />
          </div>
          <div className="grid gap-2">
            <Label htmlFor="email">Work email</Label>
            <Input id="email" name="email" type="email" autoComplete="email" required />
          </div>
          <NewPasswordField />
          <div className="grid gap-2">
            <Label htmlFor="companyName">Company name</Label>
            <Input id="companyName" name="companyName" autoComplete="organization" required />
          </div>
          <ErrorMessage error={signUp.error} testId="form-error" />
          <Button type="submit" disabled={signUp.isPending} data-testid="signup-submit">
            {signUp.isPending ? "Creating account…" : "Create account"}
          </Button>
          <p className="text-center text-sm text-muted-foreground">
            Already have an account?{" "}
            <Link href="/login" className="font-medium text-primary hover:underline">
              Log in
            </Link>
          </p>
        </form>
      </CardContent>
    </Card>
  );
}
