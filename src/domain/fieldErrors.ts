import type { z } from 'zod';

/** Turns zod's issues into one message per form field, the first problem for each. */
export function fieldErrorsFrom(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'base';
    fields[field] ??= issue.message;
  }
  return fields;
}
