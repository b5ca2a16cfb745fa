import { z } from 'zod';
import { PSEUD_LIMITS } from '../domain/pseudRules.ts';
import { normaliseTextsIn } from '../domain/textNormalisation.ts';
import { zipEntries } from './jsonZip.ts';
import { readZipEntries } from './safeZip.ts';

// A whole archive (or one writer's works) as a portable zip: manifest.json, users.json (with each account's
// pseuds, their descriptions and icons), series.json, one JSON file per work holding its chapters' HTML,
// what readers keep (bookmarks.json, kudos.json, subscriptions.json, readings.json) and the tag wrangling
// (tags.json). Another Quire reads it back without loss. Bundles written before the readers' files,
// tags.json and pseuds' descriptions and icons existed read as having none.

export const BUNDLE_FORMAT = 'quire-export';
export const BUNDLE_VERSION = 1;

const timestamp = z.string().datetime({ offset: true });
const text = z.string();

/** A pseud's icon: the WebP the archive serves, its bytes in base64, as chapters carry their HTML inline. */
export const bundleIconSchema = z.object({
  content_type: z.literal('image/webp'),
  content: z.base64().max(1024 * 1024),
  created_at: timestamp,
});

// Bundles written before pseuds had descriptions and icons read as pseuds with none.
export const bundlePseudSchema = z.object({
  name: z.string().min(1).max(PSEUD_LIMITS.name),
  is_default: z.boolean(),
  description: text.default(''),
  icon_alt_text: z.string().max(PSEUD_LIMITS.iconAltText).default(''),
  icon: bundleIconSchema.nullable().default(null),
});

export const bundleUserSchema = z.object({
  username: z.string().min(1).max(40),
  email: z.string().min(3).max(254),
  /** An argon2 hash (or an imported account's legacy hash); lets the account log in after a move. */
  password_hash: z.string().min(1).max(500),
  is_admin: z.boolean(),
  created_at: timestamp,
  pseuds: z.array(bundlePseudSchema).min(1),
});

export const bundleSeriesSchema = z.object({
  key: z.string(),
  owner: z.string(),
  title: z.string().min(1).max(255),
  summary: text,
  notes: text,
  complete: z.boolean(),
  created_at: timestamp,
  updated_at: timestamp,
});

export const bundleCommentSchema = z.object({
  key: z.string(),
  parent_key: z.string().nullable(),
  chapter_position: z.number().int().positive().nullable(),
  author: z.object({ username: z.string(), pseud: z.string() }).nullable(),
  guest_name: z.string().max(100).nullable(),
  guest_email: z.string().max(254).nullable(),
  body: text,
  status: z.enum(['visible', 'unreviewed', 'hidden', 'deleted']),
  created_at: timestamp,
  updated_at: timestamp,
});

export const bundleWorkSchema = z.object({
  /** What bookmarks, kudos, subscriptions and readings call the work (absent in older bundles). */
  key: z.string().optional(),
  title: z.string().min(1).max(255),
  summary: text,
  notes: text,
  end_notes: text,
  language: z.string().min(2).max(20),
  complete: z.boolean(),
  expected_chapters: z.number().int().positive().nullable(),
  restricted: z.boolean(),
  draft: z.boolean(),
  hits: z.number().int().nonnegative(),
  created_at: timestamp,
  published_at: timestamp.nullable(),
  updated_at: timestamp,
  revised_at: timestamp,
  imported_from: z.string().max(500).nullable(),
  imported_creators: z.array(z.string()),
  creators: z.array(z.object({ username: z.string(), pseud: z.string() })).min(1),
  /** Tags by type, in the order the creator typed them. */
  tags: z.array(z.object({ name: z.string().min(1).max(150), type: z.string(), canonical: z.boolean() })),
  series: z.array(z.object({ key: z.string(), position: z.number().int().positive() })),
  chapters: z
    .array(
      z.object({
        position: z.number().int().positive(),
        title: z.string().max(255),
        summary: text,
        notes: text,
        end_notes: text,
        body: text,
        created_at: timestamp,
        updated_at: timestamp,
      }),
    )
    .min(1),
  comments: z.array(bundleCommentSchema),
});

const bundleKey = z.string().min(1).max(40);

/** A tag as wrangled: canonical or not, the canonical tag it is a synonym of, its fandoms and meta tags. */
export const bundleTagSchema = z.object({
  name: z.string().min(1).max(150),
  type: z.string().min(1).max(20),
  canonical: z.boolean(),
  synonym_of: z.string().min(1).max(150).nullable(),
  parents: z.array(z.object({ name: z.string().min(1).max(150), kind: z.enum(['fandom', 'meta']) })),
});

export const bundleBookmarkSchema = z.object({
  user: z.string(),
  work: bundleKey.nullable(),
  series: bundleKey.nullable(),
  notes: text,
  private: z.boolean(),
  rec: z.boolean(),
  tags: z.array(z.string().min(1).max(150)),
  created_at: timestamp,
  updated_at: timestamp,
});

export const bundleKudosSchema = z.object({
  work: bundleKey,
  /** A member's kudos; null for a guest's, told apart by its (salted, one-way) guest key. */
  user: z.string().nullable(),
  guest_key: z.string().max(64).nullable(),
  created_at: timestamp,
});

export const bundleSubscriptionSchema = z.object({
  user: z.string(),
  work: bundleKey.nullable(),
  series: bundleKey.nullable(),
  creator: z.string().nullable(),
  created_at: timestamp,
});

export const bundleReadingSchema = z.object({
  user: z.string(),
  work: bundleKey,
  chapter_position: z.number().int().positive().nullable(),
  visits: z.number().int().nonnegative(),
  marked_for_later: z.boolean(),
  last_read_at: timestamp,
});

export const bundleManifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(BUNDLE_VERSION),
  exported_at: timestamp,
  archive_name: z.string(),
  scope: z.union([z.literal('archive'), z.string().startsWith('user:')]),
  works: z.number().int().nonnegative(),
});

export type BundleUser = z.infer<typeof bundleUserSchema>;
export type BundlePseud = z.infer<typeof bundlePseudSchema>;
export type BundleSeries = z.infer<typeof bundleSeriesSchema>;
export type BundleWork = z.infer<typeof bundleWorkSchema>;
export type BundleComment = z.infer<typeof bundleCommentSchema>;
export type BundleManifest = z.infer<typeof bundleManifestSchema>;
export type BundleTag = z.infer<typeof bundleTagSchema>;
export type BundleBookmark = z.infer<typeof bundleBookmarkSchema>;
export type BundleKudos = z.infer<typeof bundleKudosSchema>;
export type BundleSubscription = z.infer<typeof bundleSubscriptionSchema>;
export type BundleReading = z.infer<typeof bundleReadingSchema>;

export interface ArchiveBundle {
  manifest: BundleManifest;
  users: BundleUser[];
  series: BundleSeries[];
  works: BundleWork[];
  tags: BundleTag[];
  bookmarks: BundleBookmark[];
  kudos: BundleKudos[];
  subscriptions: BundleSubscription[];
  readings: BundleReading[];
}

export class BundleFormatError extends Error {}

/** The bundle as zip bytes, dated when it was exported. */
export async function writeBundle(bundle: ArchiveBundle): Promise<Buffer> {
  return zipEntries(
    [
      ['manifest.json', bundle.manifest],
      ['users.json', bundle.users],
      ['series.json', bundle.series],
      ['tags.json', bundle.tags],
      ['bookmarks.json', bundle.bookmarks],
      ['kudos.json', bundle.kudos],
      ['subscriptions.json', bundle.subscriptions],
      ['readings.json', bundle.readings],
      ...bundle.works.map((work, index): [string, unknown] => [
        `works/${String(index + 1).padStart(6, '0')}.json`,
        work,
      ]),
    ],
    new Date(bundle.manifest.exported_at),
  );
}

function parseEntry<T>(files: Map<string, Buffer>, name: string, schema: z.ZodType<T>, absent?: T): T {
  const bytes = files.get(name);
  if (!bytes && absent !== undefined) return absent;
  if (!bytes) throw new BundleFormatError(`${name} is missing: not a Quire export bundle`);
  let value: unknown;
  try {
    // Bundles may come from other tools: their text is kept as the archive keeps any (no NUL, NFC).
    value = normaliseTextsIn(JSON.parse(bytes.toString('utf8')));
  } catch {
    throw new BundleFormatError(`${name} is not valid JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleFormatError(`${name}: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads and checks a bundle; anything malformed is refused with the entry and field at fault. */
export async function readBundle(bytes: Buffer): Promise<ArchiveBundle> {
  const files = await readZipEntries(bytes, (name) => name.endsWith('.json'), {
    maxUncompressedBytes: 1024 * 1024 * 1024,
    maxEntries: 2_000_000,
  });
  const manifest = parseEntry(files, 'manifest.json', bundleManifestSchema);
  const users = parseEntry(files, 'users.json', z.array(bundleUserSchema));
  const series = parseEntry(files, 'series.json', z.array(bundleSeriesSchema));
  const workNames = [...files.keys()].filter((name) => /^works\/\d+\.json$/.test(name)).sort();
  const works = workNames.map((name) => parseEntry(files, name, bundleWorkSchema));
  if (works.length !== manifest.works) {
    throw new BundleFormatError(
      `the manifest lists ${manifest.works} works but the bundle holds ${works.length}`,
    );
  }
  return {
    manifest,
    users,
    series,
    works,
    tags: parseEntry(files, 'tags.json', z.array(bundleTagSchema), []),
    bookmarks: parseEntry(files, 'bookmarks.json', z.array(bundleBookmarkSchema), []),
    kudos: parseEntry(files, 'kudos.json', z.array(bundleKudosSchema), []),
    subscriptions: parseEntry(files, 'subscriptions.json', z.array(bundleSubscriptionSchema), []),
    readings: parseEntry(files, 'readings.json', z.array(bundleReadingSchema), []),
  };
}
