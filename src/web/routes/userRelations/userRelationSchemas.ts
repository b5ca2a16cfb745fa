import { z } from 'zod';
import type { RelatedUser } from '../../../services/userRelations.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shapes of a reader's mutes and blocks in API v1 (both lists answer alike), and how the
// service's rows become them. Field names are the API's contract: they change only with a new version.

export const relatedUserSchema = z
  .object({
    user: z.string().meta({ description: 'The username' }),
    created_at: isoTime.meta({ description: 'When you muted or blocked them' }),
  })
  .meta({ id: 'RelatedUser' });

export const relatedUsersSchema = z.object({
  items: z.array(relatedUserSchema).meta({ description: 'Newest first' }),
});

const username = 'Give a username.';

/** Whom to mute or block: anyone but yourself. */
export const relationRequestSchema = z.object({
  user: z
    .string({ error: username })
    .trim()
    .min(1, username)
    .meta({ description: 'A username (matched without regard to case)' }),
});

export const relationAnswerSchema = z.object({
  user: z.string().meta({ description: 'The username as the archive spells it' }),
});

export const loginParams = z.object({ login: z.string().meta({ description: 'A username' }) });

export function relatedUserJson(user: RelatedUser): z.output<typeof relatedUserSchema> {
  return { user: user.username, created_at: user.createdAt };
}
