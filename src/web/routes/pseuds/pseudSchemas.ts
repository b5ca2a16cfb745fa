import { z } from 'zod';
import { paths } from '../../../domain/archivePaths.ts';
import { PSEUD_LIMITS } from '../../../domain/pseudRules.ts';
import { ICON_LIMITS } from '../../../services/pseudIcons.ts';
import type { Pseud } from '../../../services/pseuds.ts';

// The JSON shape of a pseud in API v1, and how the service's pseud becomes one.

export const pseudSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    username: z.string().meta({ description: 'The account the pseud belongs to' }),
    default: z
      .boolean()
      .meta({ description: 'Works, comments and bookmarks are credited to it unless another is chosen' }),
    url: z.string().meta({ format: 'uri', description: 'The pseud’s page' }),
    description: z.string().meta({ description: 'Sanitised HTML; empty if the owner wrote none' }),
    icon_url: z
      .string()
      .nullable()
      .meta({ format: 'uri', description: 'A 100×100 WebP; null without an icon' }),
    icon_alt_text: z.string(),
  })
  .meta({ id: 'Pseud' });

export const pseudListSchema = z.object({
  pseuds: z.array(pseudSchema).meta({ description: 'The default first' }),
});

const nameField = z.string().meta({
  description: `1 to ${PSEUD_LIMITS.name} letters, digits, spaces, underscores and hyphens; unique per account whatever the case`,
});
const descriptionField = z.string().meta({
  description: `Plain text or HTML, sanitised; at most ${PSEUD_LIMITS.description} characters of text`,
});
const altTextField = z
  .string()
  .meta({ description: `The icon’s alt text, at most ${PSEUD_LIMITS.iconAltText} characters` });

export const newPseudBody = z.object({
  name: nameField,
  description: descriptionField.optional(),
  icon_alt_text: altTextField.optional(),
});

export const pseudChangeBody = z.object({
  name: nameField.optional(),
  description: descriptionField.optional(),
  icon_alt_text: altTextField.optional(),
  default: z.boolean().optional().meta({
    description: 'true makes this the account’s default pseud (false is refused: make another the default)',
  }),
});

export const ICON_UPLOAD_DESCRIPTION =
  `Send the image itself as the request body (any Content-Type, image/png or application/octet-stream ` +
  `for instance: the bytes decide what the image is, not the header), at most ${ICON_LIMITS.maxFileBytes / 1024} KB ` +
  `and ${ICON_LIMITS.maxInputPixels.toLocaleString('en')} pixels. It is re-encoded to a ${ICON_LIMITS.size}×${ICON_LIMITS.size} ` +
  'WebP with no metadata; an animated GIF keeps its first frame. SVG and other formats are refused (400).';

export function pseudJson(pseud: Pseud, origin: string): z.output<typeof pseudSchema> {
  return {
    id: pseud.id,
    name: pseud.name,
    username: pseud.username,
    default: pseud.isDefault,
    url: `${origin}${paths.pseud(pseud.username, pseud.name)}`,
    description: pseud.description,
    icon_url: pseud.iconHash ? `${origin}${paths.pseudIcon(pseud.id, pseud.iconHash)}` : null,
    icon_alt_text: pseud.iconAltText,
  };
}
