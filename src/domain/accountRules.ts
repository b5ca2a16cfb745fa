import { z } from 'zod';
import { isOrphanAccountKey } from './orphanAccount.ts';

// AO3-like limits: logins are plain so that they can sit in URLs (/users/<login>/works).
export const usernameSchema = z
  .string({ error: 'Choose a username.' })
  .trim()
  .min(1, 'Choose a username.')
  .min(3, 'Usernames are 3 to 40 characters long.')
  .max(40, 'Usernames are 3 to 40 characters long.')
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_]*$/,
    'Use letters, digits and underscores, starting with a letter or digit.',
  )
  .refine((name) => !isOrphanAccountKey(accountKey(name)), 'That username is taken.');

export const emailSchema = z
  .string({ error: 'Enter an email address.' })
  .trim()
  .max(254, 'That email address is too long.')
  .email('Enter a valid email address.');

export const passwordSchema = z
  .string({ error: 'Choose a password.' })
  .min(8, 'Passwords need at least 8 characters.')
  .max(200, 'Passwords can be at most 200 characters.');

export const signUpSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignUp = z.infer<typeof signUpSchema>;

/** Usernames and emails are unique regardless of case. */
export function accountKey(value: string): string {
  return value.trim().normalize('NFC').toLowerCase();
}
