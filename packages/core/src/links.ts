// The dashboard pages a one-time token opens. Whoever delivers a link (the
// admin copying it today, the mail integration later) gets it from here, and
// the pages apps/web/src/app/(auth)/invite/[token] and reset-password/[token]
// read the token from the path.

export function invitationUrl(appUrl: string, token: string): string {
  return `${appUrl}/invite/${encodeURIComponent(token)}`;
}

export function passwordResetUrl(appUrl: string, token: string): string {
  return `${appUrl}/reset-password/${encodeURIComponent(token)}`;
}
