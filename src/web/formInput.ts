type FormBody = Record<string, string | string[] | undefined>;

/** One text field of a parsed form (or query string); repeated or missing fields read as ''. */
export function formText(body: unknown, name: string): string {
  const value = (body as FormBody | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** A field that may repeat (checkbox groups), always as a list. */
export function formList(body: unknown, name: string): string[] {
  const value = (body as FormBody | undefined)?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
