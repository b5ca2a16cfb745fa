import { z } from 'zod';
import { paths } from './archivePaths.ts';
import { flag, optionalText } from './workRules.ts';

// AO3's rules for pseuds: the names an account writes under. A pseud name sits in URLs
// (/users/LOGIN/pseuds/NAME) and bylines, so it is plain: letters, digits, spaces, underscores and
// hyphens, starting with a letter or digit, unique per account whatever the case.

export const PSEUD_LIMITS = { name: 40, description: 500, descriptionHtml: 5_000, iconAltText: 250 } as const;

export const pseudNameSchema = z
  .string({ error: 'Choose a name for the pseud.' })
  .transform((name) => name.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'Choose a name for the pseud.')
      .max(PSEUD_LIMITS.name, `Pseud names are 1 to ${PSEUD_LIMITS.name} characters long.`)
      .regex(
        /^[A-Za-z0-9][A-Za-z0-9 _-]*$/,
        'Use letters, digits, spaces, underscores and hyphens, starting with a letter or digit.',
      ),
  );

/** A new pseud: a name, and a description and icon alt text if the owner wants them. */
export const newPseudSchema = z.object({
  name: pseudNameSchema,
  description: optionalText('Description', PSEUD_LIMITS.descriptionHtml),
  icon_alt_text: optionalText('Icon alt text', PSEUD_LIMITS.iconAltText),
});
export type NewPseud = z.output<typeof newPseudSchema>;

/** A change to a pseud: only the fields sent change. `default: true` makes it the account's default. */
export const pseudChangeSchema = z.object({
  name: pseudNameSchema.optional(),
  description: optionalText('Description', PSEUD_LIMITS.descriptionHtml).optional(),
  icon_alt_text: optionalText('Icon alt text', PSEUD_LIMITS.iconAltText).optional(),
  default: flag.optional(),
});
export type PseudChange = z.output<typeof pseudChangeSchema>;

/** Pseud names are unique per account regardless of case. */
export function pseudKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}

/** AO3's byline: the pseud alone when it is the login, `Pseud (LOGIN)` otherwise. */
export function bylineName(credit: { pseud: string; username: string }): string {
  return credit.pseud === credit.username ? credit.pseud : `${credit.pseud} (${credit.username})`;
}

/** Where a byline leads: the creator's works, or the pseud's page when the pseud is not the login. */
export function bylinePath(credit: { pseud: string; username: string }): string {
  return credit.pseud === credit.username
    ? paths.userWorks(credit.username)
    : paths.pseud(credit.username, credit.pseud);
}
