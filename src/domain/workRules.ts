import { z } from 'zod';
import { commentPolicySchema } from './commentRules.ts';
import { bidiControlMessage, hasNoBidiControl } from './textNormalisation.ts';
import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS, type UserTagType } from './vocabulary.ts';

// Limits as AO3 has them, so that works move between the two archives without trimming.
export const LIMITS = {
  title: 255,
  summary: 1250,
  notes: 5000,
  chapterBody: 500_000,
  userTags: 75,
  tagName: 150,
  chapterTitle: 255,
} as const;

const FORBIDDEN_TAG_CHARACTERS = /[,^*<>{}=\\%`]/;

/** One spelling for comparing tag names: case-insensitive, Unicode-normalised, inner spaces collapsed. */
export function tagKey(name: string): string {
  return tagDisplayName(name).toLowerCase();
}

// Control characters count as spaces: no tag name has one, and PostgreSQL text cannot hold a NUL at all.
export function tagDisplayName(name: string): string {
  return name
    .normalize('NFC')
    .replace(/[\s\p{Cc}]+/gu, ' ')
    .trim();
}

/** Tags arrive as a list (API) or as one comma-separated field (forms); both end as a clean list. */
export function tagListSchema(label: string) {
  return z
    .union([z.string(), z.array(z.string({ error: `${label} must be a list of tag names.` }))], {
      error: `${label} must be a list of tag names.`,
    })
    .optional()
    .transform((value) => (typeof value === 'string' ? value.split(',') : (value ?? [])))
    .transform((names) => {
      const seen = new Set<string>();
      const unique: string[] = [];
      for (const raw of names) {
        const name = tagDisplayName(raw);
        if (name === '' || seen.has(name.toLowerCase())) continue;
        seen.add(name.toLowerCase());
        unique.push(name);
      }
      return unique;
    })
    .superRefine((names, context) => {
      for (const name of names) {
        if (name.length > LIMITS.tagName) {
          context.addIssue({
            code: 'custom',
            message: `Tag "${name.slice(0, 40)}…" is longer than ${LIMITS.tagName} characters.`,
          });
        } else if (FORBIDDEN_TAG_CHARACTERS.test(name)) {
          context.addIssue({
            code: 'custom',
            message: `Tag "${name}" contains a character tags cannot have (commas or any of ^ * < > { } = \\ % \`).`,
          });
        } else if (!hasNoBidiControl(name)) {
          context.addIssue({ code: 'custom', message: bidiControlMessage('Tags') });
        }
      }
    });
}

function oneOf<T extends readonly string[]>(values: T, message: string) {
  return z.enum(values as unknown as [T[number], ...T[number][]], { error: message });
}

export function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text.` })
    .max(max, `${label} can be at most ${max.toLocaleString('en')} characters.`)
    .optional()
    .transform((value) => value?.trim() ?? '');
}

/** A form's checkbox (absent, "on", "true") or the API's boolean. */
export const flag = z
  .union([z.boolean(), z.enum(['on', 'true', '1', 'false', '0', ''])])
  .optional()
  .transform((value) => value === true || value === 'on' || value === 'true' || value === '1');

/** The id of a row, as a form sends it (digits) or the API does (a number). */
export function recordIdSchema(message: string) {
  return z
    .union([
      z.number({ error: message }),
      z
        .string({ error: message })
        .trim()
        .regex(/^[0-9]{1,10}$/, message),
    ])
    .transform(Number)
    .pipe(z.number().int(message).min(1, message).max(2_147_483_647, message));
}

const languageSchema = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : 'en'))
  .pipe(
    z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'Choose a language (a code such as en or pt-BR).'),
  );

const expectedChaptersSchema = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((value, context) => {
    if (value === null || value === undefined || value === '' || value === '?') return null;
    const count = typeof value === 'number' ? value : Number(value);
    if (!Number.isInteger(count) || count < 1 || count > 5000) {
      context.addIssue({
        code: 'custom',
        message: 'Expected chapters must be a whole number from 1, or "?".',
      });
      return z.NEVER;
    }
    return count;
  });

/** A work's fields one by one; `workFieldsSchema` adds the rules that weigh fields against each other. */
export const workFieldsShape = z.object({
  title: z
    .string({ error: 'Give the work a title.' })
    .trim()
    .min(1, 'Give the work a title.')
    .max(LIMITS.title, `Titles can be at most ${LIMITS.title} characters.`)
    .refine(hasNoBidiControl, bidiControlMessage('Titles')),
  summary: optionalText('The summary', LIMITS.summary),
  notes: optionalText('Notes', LIMITS.notes),
  end_notes: optionalText('End notes', LIMITS.notes),
  rating: oneOf(RATINGS, 'Choose exactly one rating.'),
  warnings: z
    .union(
      [
        oneOf(ARCHIVE_WARNINGS, 'Choose archive warnings from the list.'),
        z.array(oneOf(ARCHIVE_WARNINGS, 'Choose archive warnings from the list.')),
      ],
      {
        error: 'Choose at least one archive warning.',
      },
    )
    .optional()
    .transform((value, context): string[] => {
      const warnings = [...new Set(value === undefined ? [] : Array.isArray(value) ? value : [value])];
      if (warnings.length === 0)
        context.addIssue({ code: 'custom', message: 'Choose at least one archive warning.' });
      return warnings;
    }),
  categories: z
    .union([
      oneOf(CATEGORIES, 'Choose categories from the list.'),
      z.array(oneOf(CATEGORIES, 'Choose categories from the list.')),
    ])
    .optional()
    .transform((value) => [...new Set(value === undefined ? [] : Array.isArray(value) ? value : [value])]),
  fandoms: tagListSchema('Fandoms').pipe(z.array(z.string()).min(1, 'Add at least one fandom.')),
  relationships: tagListSchema('Relationships'),
  characters: tagListSchema('Characters'),
  freeforms: tagListSchema('Additional tags'),
  language: languageSchema,
  expected_chapters: expectedChaptersSchema,
  complete: flag,
  restricted: flag,
  draft: flag,
  comment_policy: commentPolicySchema,
  moderate_comments: flag,
  // AO3's "add to series": one of the creator's own series, or the title of a new one.
  series_id: z
    .union([z.literal(''), z.null(), recordIdSchema('Choose one of your series.')], {
      error: 'Choose one of your series.',
    })
    .optional()
    .transform((value) => (typeof value === 'number' ? value : null)),
  series_title: optionalText('The series title', LIMITS.title).refine(
    hasNoBidiControl,
    bidiControlMessage('Series titles'),
  ),
});

export const workFieldsSchema = workFieldsShape.superRefine((work, context) => {
  if (work.series_id !== null && work.series_title !== '') {
    context.addIssue({
      code: 'custom',
      path: ['series_title'],
      message: 'Choose one of your series or type the title of a new one, not both.',
    });
  }
  const userTags =
    work.fandoms.length + work.relationships.length + work.characters.length + work.freeforms.length;
  if (userTags > LIMITS.userTags) {
    context.addIssue({
      code: 'custom',
      path: ['freeforms'],
      message: `A work can have at most ${LIMITS.userTags} fandom, relationship, character and additional tags together (this one has ${userTags}).`,
    });
  }
});

export type WorkFields = z.infer<typeof workFieldsSchema>;

export const USER_TAG_FIELDS: Record<UserTagType, 'fandoms' | 'relationships' | 'characters' | 'freeforms'> =
  {
    fandom: 'fandoms',
    relationship: 'relationships',
    character: 'characters',
    freeform: 'freeforms',
  };

export const chapterFieldsSchema = z.object({
  title: z
    .string({ error: 'The chapter title must be text.' })
    .trim()
    .max(LIMITS.chapterTitle, `Chapter titles can be at most ${LIMITS.chapterTitle} characters.`)
    .refine(hasNoBidiControl, bidiControlMessage('Chapter titles'))
    .optional()
    .transform((value) => value ?? ''),
  summary: optionalText('The chapter summary', LIMITS.summary),
  notes: optionalText('Chapter notes', LIMITS.notes),
  end_notes: optionalText('Chapter end notes', LIMITS.notes),
  body: z
    .string({ error: 'Write the chapter text.' })
    .max(
      LIMITS.chapterBody,
      `A chapter can be at most ${LIMITS.chapterBody.toLocaleString('en')} characters; split it into two chapters.`,
    )
    .refine((body) => body.trim() !== '', 'Write the chapter text.'),
  format: z
    .enum(['html', 'markdown'], { error: 'The format is either html or markdown.' })
    .optional()
    .transform((value) => value ?? 'html'),
});

export type ChapterFields = z.infer<typeof chapterFieldsSchema>;

/** How many chapters a reader should expect, as AO3 shows it: "2/?" or "3/3". */
export function chapterProgress(posted: number, expected: number | null): string {
  return `${posted}/${expected ?? '?'}`;
}
