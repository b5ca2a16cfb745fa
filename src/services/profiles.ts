import type { ExpressionBuilder, Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { fieldErrorsFrom } from '../domain/fieldErrors.ts';
import { htmlToPlainText, toWorkHtml } from '../domain/htmlPolicy.ts';
import type { Viewer } from '../domain/permissions.ts';
import { optionalText } from '../domain/workRules.ts';
import { AuthenticationError, ForbiddenError, NotFoundError, ValidationError } from './errors.ts';
import { findUserByLogin } from './users.ts';

// A user's profile, as on AO3: the about text they wrote, when they joined, their pseuds, and how many
// works, series and bookmarks of theirs the viewer could open.

/**
 * AO3's limit on a profile's "About Me", counted on the text a reader sees: the form shows the stored
 * HTML again, whose markup would otherwise push text saved once unchanged over the limit. The markup
 * itself is bounded too.
 */
export const PROFILE_LIMITS = { about: 2000, aboutHtml: 20_000 } as const;

export const profileFieldsSchema = z.object({ about: optionalText('About', PROFILE_LIMITS.aboutHtml) });

export interface Profile {
  id: number;
  username: string;
  joinedAt: string;
  /** Sanitised HTML; empty until the owner writes some. */
  aboutHtml: string;
  /** The default pseud first. */
  pseuds: { id: number; name: string; isDefault: boolean; iconHash: string | null; iconAltText: string }[];
  /** Only what the viewer may open: never drafts or private bookmarks, restricted works only for members. */
  counts: { works: number; series: number; bookmarks: number };
}

/** The work in the query is one the viewer may open in a listing: posted, and public unless they are a member. */
function readableWork(viewer: Viewer | null) {
  return (eb: ExpressionBuilder<Database, 'works'>) =>
    eb.and([eb('works.draft', '=', 0), ...(viewer ? [] : [eb('works.restricted', '=', 0)])]);
}

async function countOf(query: { executeTakeFirstOrThrow(): Promise<{ count: number | string | bigint }> }) {
  return Number((await query.executeTakeFirstOrThrow()).count);
}

export async function getProfile(
  db: Kysely<Database>,
  viewer: Viewer | null,
  login: string,
): Promise<Profile> {
  const user = await findUserByLogin(db, login);
  if (!user) throw new NotFoundError('There is no user with that name here.');
  const [account, pseuds, works, series, bookmarks] = await Promise.all([
    db.selectFrom('users').select('about').where('id', '=', user.id).executeTakeFirstOrThrow(),
    db
      .selectFrom('pseuds')
      .select(['id', 'name', 'is_default', 'icon_hash', 'icon_alt_text'])
      .where('user_id', '=', user.id)
      .orderBy('is_default', 'desc')
      .orderBy('name_key')
      .execute(),
    countOf(
      db
        .selectFrom('works')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where(readableWork(viewer))
        .where('works.id', 'in', (eb) =>
          eb
            .selectFrom('work_creators')
            .innerJoin('pseuds', 'pseuds.id', 'work_creators.pseud_id')
            .select('work_creators.work_id')
            .where('pseuds.user_id', '=', user.id),
        ),
    ),
    // A series counts once some part of it may be opened.
    countOf(
      db
        .selectFrom('series')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('series.user_id', '=', user.id)
        .where('series.id', 'in', (eb) =>
          eb
            .selectFrom('series_works')
            .innerJoin('works', 'works.id', 'series_works.work_id')
            .select('series_works.series_id')
            .where(readableWork(viewer)),
        ),
    ),
    // As the bookmarks page lists them to others: public ones, of series or of works the viewer may open.
    countOf(
      db
        .selectFrom('bookmarks')
        .leftJoin('works', 'works.id', 'bookmarks.work_id')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('bookmarks.user_id', '=', user.id)
        .where('bookmarks.private', '=', 0)
        .where((eb) => eb.or([eb('bookmarks.work_id', 'is', null), readableWork(viewer)(eb)])),
    ),
  ]);
  return {
    id: user.id,
    username: user.username,
    joinedAt: user.created_at,
    aboutHtml: account.about ?? '',
    pseuds: pseuds.map((pseud) => ({
      id: pseud.id,
      name: pseud.name,
      isDefault: pseud.is_default === 1,
      iconHash: pseud.icon_hash,
      iconAltText: pseud.icon_alt_text,
    })),
    counts: { works, series, bookmarks },
  };
}

/** The about text as its owner wrote it last, sanitised, for the edit form. */
export async function profileForEditing(db: Kysely<Database>, viewer: Viewer | null, login: string) {
  const user = await profileOwner(db, viewer, login);
  const { about } = await db
    .selectFrom('users')
    .select('about')
    .where('id', '=', user.id)
    .executeTakeFirstOrThrow();
  return { username: user.username, about: about ?? '' };
}

/** Only a profile's owner changes it. */
async function profileOwner(db: Kysely<Database>, viewer: Viewer | null, login: string) {
  const user = await findUserByLogin(db, login);
  if (!user) throw new NotFoundError('There is no user with that name here.');
  if (!viewer) throw new AuthenticationError('Log in to edit your profile.');
  if (viewer.id !== user.id) throw new ForbiddenError('You can only edit your own profile.');
  return user;
}

export async function updateProfile(
  db: Kysely<Database>,
  viewer: Viewer | null,
  login: string,
  input: unknown,
): Promise<{ username: string }> {
  const user = await profileOwner(db, viewer, login);
  const parsed = profileFieldsSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError('Please fix your profile.', fieldErrorsFrom(parsed.error));
  const about = parsed.data.about ? toWorkHtml(parsed.data.about, 'html') : '';
  if (htmlToPlainText(about).length > PROFILE_LIMITS.about) {
    const message = `About can be at most ${PROFILE_LIMITS.about.toLocaleString('en')} characters of text.`;
    throw new ValidationError('Please fix your profile.', { about: message });
  }
  await db
    .updateTable('users')
    .set({ about: about || null })
    .where('id', '=', user.id)
    .execute();
  return { username: user.username };
}
