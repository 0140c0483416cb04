// The server answers invalid input with `data.fieldErrors`, keyed by each
// input field's dotted path ("companyName", "settings.allowedOrigins.1"). Every
// settings form shows them on its fields, as sentences.

/** "must be an http(s) URL" → "Must be an http(s) URL." */
export function sentence(message: string): string {
  const text = message.trim();
  if (!text) return text;
  const capital = text[0]!.toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The first message of each invalid input path, as a sentence. */
export function serverFieldErrors(error: unknown): Record<string, string> {
  if (!error || typeof error !== "object") return {};
  const { data } = error as {
    data?: { fieldErrors?: Record<string, string[] | undefined> | null };
  };
  const errors: Record<string, string> = {};
  for (const [path, messages] of Object.entries(data?.fieldErrors ?? {})) {
    errors[path] = sentence(messages?.[0] ?? "Invalid value");
  }
  return errors;
}
