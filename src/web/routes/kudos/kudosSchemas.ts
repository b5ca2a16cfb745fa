import { z } from 'zod';
import { paths } from '../../../domain/archivePaths.ts';
import type { KudosList } from '../../../services/kudos.ts';

// The JSON shapes of kudos in API v1 (and in the answer the kudos script gets from the work page).

export const kudosSchema = z.object({
  count: z.number().int().meta({ description: 'Every kudos, from members and guests' }),
  users: z
    .array(z.object({ username: z.string(), url: z.string().meta({ format: 'uri' }) }))
    .meta({ description: 'Newest kudos first' }),
  guests: z.number().int().meta({ description: 'Kudos from guests, who are counted, not named' }),
});

export const kudosLeftSchema = z.object({
  kudos_count: z.number().int().meta({ description: 'The work’s kudos, this one included' }),
});

export function kudosJson(kudos: KudosList, origin: string): z.output<typeof kudosSchema> {
  return {
    count: kudos.count,
    users: kudos.users.map((username) => ({ username, url: `${origin}${paths.user(username)}` })),
    guests: kudos.guests,
  };
}
