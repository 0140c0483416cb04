/** Where to go after logging in: a same-site path from `?next=`, else the inbox. */
export function safeNextPath(value: string | null | undefined): string {
  if (value?.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\")) {
    return value;
  }
  return "/inbox";
}
