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

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

/** How long each link mailed to a member works, from the moment it is sent. */
export const LINK_LIFETIME_MS = {
  password_reset: DAY_MS,
  email_change: DAY_MS,
  // Someone who signs up may not read their mail that day; they can log in and send a new link.
  email_confirmation: 7 * DAY_MS,
} as const;

/** AO3 lets a login change once a week or so; the former name stays its owner's for four weeks. */
export const USERNAME_CHANGE_INTERVAL_MS = 7 * DAY_MS;
export const FORMER_USERNAME_KEPT_MS = 28 * DAY_MS;

/** A username or an email address: whichever a member remembers. */
export const loginSchema = z
  .string({ error: 'Enter your username or email address.' })
  .trim()
  .min(1, 'Enter your username or email address.')
  .max(254, 'That is longer than any username or email address here.');

const currentPasswordSchema = z
  .string({ error: 'Enter your current password.' })
  .min(1, 'Enter your current password.')
  .max(200, 'Enter your current password.');

export const passwordChangeSchema = z.object({
  current_password: currentPasswordSchema,
  password: passwordSchema,
});

export const emailChangeSchema = z.object({ current_password: currentPasswordSchema, email: emailSchema });

export const usernameChangeSchema = z.object({
  current_password: currentPasswordSchema,
  username: usernameSchema,
});
