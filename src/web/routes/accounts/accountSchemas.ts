import { z } from 'zod';
import type { QuireConfig } from '../../../config.ts';
import type { AccountMailLimit } from '../../../services/accountTokens.ts';

/** The limit on mail about one account, or none when the archive runs without limits. */
export function accountMailLimit(config: QuireConfig): AccountMailLimit {
  return config.rateLimits.enabled ? config.rateLimits.accountMailPerAccount : null;
}

/** An answer that only says what happens next (the same whoever asked). */
export const acceptedAnswer = z
  .object({ message: z.string() })
  .meta({ description: 'What happens next; the same answer whatever the archive holds' });

/** A link's secret, as mailed: anything else is no link, and answers 404 like an expired one. */
export const linkTokenParams = z.object({
  token: z.string().max(200).meta({ description: 'The secret from the link in the mail' }),
});

export const passwordResetRequest = z.object({
  login: z.string().meta({ description: 'The username or email address of the account' }),
});

export const newPasswordBody = z.object({
  password: z.string().meta({ description: 'At least 8 characters' }),
});

const currentPassword = z.string().meta({ description: 'The account’s password now, asked again' });

export const passwordChangeBody = z.object({
  current_password: currentPassword,
  password: z.string().meta({ description: 'The new password, at least 8 characters' }),
});

export const emailChangeBody = z.object({
  current_password: currentPassword,
  email: z
    .string()
    .meta({ description: 'The new address; it takes effect when the link mailed there is followed' }),
});

export const usernameChangeBody = z.object({
  current_password: currentPassword,
  username: z.string().meta({ description: '3 to 40 letters, digits or underscores; once a week' }),
});

export const followedLinkAnswer = z.object({
  outcome: z
    .enum(['confirmed', 'email_changed'])
    .meta({ description: 'A new account’s address was confirmed, or an account moved to its new address' }),
  username: z.string(),
  email: z.string().optional(),
});
