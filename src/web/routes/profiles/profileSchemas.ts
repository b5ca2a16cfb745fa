import { z } from 'zod';
import { paths } from '../../../domain/archivePaths.ts';
import { PROFILE_LIMITS, type Profile } from '../../../services/profiles.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shape of a user's profile in API v1.

export const loginParams = z.object({ login: z.string().meta({ description: 'A username' }) });

export const profileSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    url: z.string().meta({ format: 'uri', description: 'The profile page' }),
    joined_at: isoTime,
    about: z.string().meta({ description: 'Sanitised HTML; empty if the user wrote none' }),
    pseuds: z.array(z.object({ name: z.string(), default: z.boolean() })).meta({
      description: 'The default pseud first',
    }),
    counts: z
      .object({
        works: z.number().int(),
        series: z.number().int(),
        bookmarks: z.number().int(),
      })
      .meta({
        description:
          'What you may open: posted works (restricted ones only with a token), series with such a part, public bookmarks',
      }),
  })
  .meta({ id: 'Profile' });

export const profileBody = z.object({
  about: z.string().meta({
    description: `Plain text or HTML, sanitised; at most ${PROFILE_LIMITS.about} characters of text. Empty clears it`,
  }),
});

export function profileJson(profile: Profile, origin: string): z.infer<typeof profileSchema> {
  return {
    id: profile.id,
    username: profile.username,
    url: `${origin}${paths.profile(profile.username)}`,
    joined_at: profile.joinedAt,
    about: profile.aboutHtml,
    pseuds: profile.pseuds.map((pseud) => ({ name: pseud.name, default: pseud.isDefault })),
    counts: profile.counts,
  };
}
