import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import sharp, { type Metadata } from 'sharp';
import type { Database } from '../db/schema.ts';
import type { Viewer } from '../domain/permissions.ts';
import { NotFoundError, ValidationError } from './errors.ts';
import { ownPseud, type Pseud } from './pseuds.ts';

// A pseud's icon, as on AO3: a small square beside the pseud's comments and on its pages. Whatever was
// uploaded is decoded and drawn again as a 100×100 WebP, so no metadata (location, camera, names) and no
// trick of the original file survives, and the bytes are kept in the database so every instance serves
// the same icon.

export const ICON_LIMITS = {
  /** What one upload may be, checked while it arrives. */
  maxFileBytes: 500 * 1024,
  /** An image bomb (a small file of a huge picture) is refused before it is decoded. */
  maxInputPixels: 4096 * 4096,
  size: 100,
} as const;

const ICON_TYPE = 'image/webp';

/** The formats an icon may be sent in, known by their first bytes (never by the file name or the header). */
const SIGNATURES: { format: string; matches: (bytes: Buffer) => boolean }[] = [
  {
    format: 'png',
    matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { format: 'jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { format: 'gif', matches: (b) => ['GIF87a', 'GIF89a'].includes(b.subarray(0, 6).toString('latin1')) },
  {
    format: 'webp',
    matches: (b) =>
      b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  },
];

const refused = (reason: string) =>
  new ValidationError(`That icon could not be used: ${reason}`, {
    icon: `Upload a PNG, JPEG, GIF or WebP image of at most ${ICON_LIMITS.maxFileBytes / 1024} KB and ${ICON_LIMITS.maxInputPixels.toLocaleString('en')} pixels.`,
  });

/** The icon drawn afresh: a centred 100×100 crop with nothing of the original file but its pixels. */
export async function reencodeIcon(bytes: Buffer): Promise<Buffer> {
  if (bytes.length === 0) throw refused('the file is empty.');
  if (bytes.length > ICON_LIMITS.maxFileBytes)
    throw refused(`it is larger than ${ICON_LIMITS.maxFileBytes / 1024} KB.`);
  const signature = SIGNATURES.find((candidate) => candidate.matches(bytes));
  if (!signature) throw refused('it is not a PNG, JPEG, GIF or WebP image.');
  let metadata: Metadata;
  try {
    // The header alone, to say how big a picture is before refusing it; nothing is decoded yet.
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw refused('the image is damaged or not what its first bytes say.');
  }
  if (metadata.format !== signature.format) throw refused('the image is not what its first bytes say.');
  if ((metadata.width ?? 0) * (metadata.pageHeight ?? metadata.height ?? 0) > ICON_LIMITS.maxInputPixels)
    throw refused(
      `it is ${metadata.width}×${metadata.pageHeight ?? metadata.height} pixels, too many to read.`,
    );
  // Only the first frame of an animation is read, and the pixel limit holds while decoding too.
  const image = sharp(bytes, { limitInputPixels: ICON_LIMITS.maxInputPixels, pages: 1, failOn: 'error' });
  try {
    return await image
      .autoOrient()
      .resize(ICON_LIMITS.size, ICON_LIMITS.size, { fit: 'cover', position: 'centre' })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    throw refused('the image is damaged.');
  }
}

/** The version in an icon's URL. */
export const iconHash = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/**
 * An icon from an export bundle, ready to store. One an archive drew (a 100×100 WebP with no metadata)
 * is kept byte for byte, so moving an archive changes no icon and no icon URL; anything else is drawn
 * again like an upload, since a bundle is a file from elsewhere.
 */
export async function bundledIcon(
  bytes: Buffer,
): Promise<{ content: Buffer; contentType: string; hash: string }> {
  const metadata = await sharp(bytes, { limitInputPixels: ICON_LIMITS.maxInputPixels })
    .metadata()
    .catch(() => undefined);
  const drawnHere =
    bytes.length <= ICON_LIMITS.maxFileBytes &&
    SIGNATURES.find((candidate) => candidate.format === 'webp')?.matches(bytes) &&
    metadata?.format === 'webp' &&
    metadata.width === ICON_LIMITS.size &&
    metadata.height === ICON_LIMITS.size &&
    (metadata.pages ?? 1) === 1 &&
    !metadata.exif &&
    !metadata.icc &&
    !metadata.xmp &&
    !metadata.iptc &&
    // Decodes whole, so a damaged file is drawn again (and refused) rather than kept.
    (await sharp(bytes, { failOn: 'error' })
      .raw()
      .toBuffer()
      .then(() => true)
      .catch(() => false));
  const content = drawnHere ? bytes : await reencodeIcon(bytes);
  return { content, contentType: ICON_TYPE, hash: iconHash(content) };
}

/** Sets a pseud's icon from the bytes sent (and its alt text, when given). */
export async function setPseudIcon(
  db: Kysely<Database>,
  viewer: Viewer | null,
  pseudId: number,
  bytes: Buffer,
  altText?: string,
): Promise<Pseud> {
  const pseud = await ownPseud(db, viewer, pseudId);
  const content = await reencodeIcon(bytes);
  const hash = iconHash(content);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('pseud_icons').where('pseud_id', '=', pseud.id).execute();
    await trx
      .insertInto('pseud_icons')
      .values({ pseud_id: pseud.id, content, content_type: ICON_TYPE, created_at: now })
      .execute();
    await trx
      .updateTable('pseuds')
      .set({ icon_hash: hash, ...(altText !== undefined ? { icon_alt_text: altText } : {}) })
      .where('id', '=', pseud.id)
      .execute();
  });
  return { ...pseud, iconHash: hash, iconAltText: altText ?? pseud.iconAltText };
}

export async function removePseudIcon(
  db: Kysely<Database>,
  viewer: Viewer | null,
  pseudId: number,
): Promise<Pseud> {
  const pseud = await ownPseud(db, viewer, pseudId);
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('pseud_icons').where('pseud_id', '=', pseud.id).execute();
    await trx.updateTable('pseuds').set({ icon_hash: null }).where('id', '=', pseud.id).execute();
  });
  return { ...pseud, iconHash: null };
}

/** The icon's bytes, for anyone: icons are as public as the pseud's name. */
export async function pseudIconContent(
  db: Kysely<Database>,
  pseudId: number,
): Promise<{ content: Buffer; contentType: string; hash: string }> {
  const row = await db
    .selectFrom('pseud_icons')
    .innerJoin('pseuds', 'pseuds.id', 'pseud_icons.pseud_id')
    .select(['pseud_icons.content', 'pseud_icons.content_type', 'pseuds.icon_hash'])
    .where('pseud_icons.pseud_id', '=', pseudId)
    .executeTakeFirst();
  if (!row?.icon_hash) throw new NotFoundError('That pseud has no icon.');
  return { content: Buffer.from(row.content), contentType: row.content_type, hash: row.icon_hash };
}
