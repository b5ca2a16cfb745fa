// The fixed sets every AO3 reader already knows; their exact spelling is part of the convention.

export const RATINGS = [
  'Not Rated',
  'General Audiences',
  'Teen And Up Audiences',
  'Mature',
  'Explicit',
] as const;
export type Rating = (typeof RATINGS)[number];

export const ARCHIVE_WARNINGS = [
  'Creator Chose Not To Use Archive Warnings',
  'No Archive Warnings Apply',
  'Graphic Depictions Of Violence',
  'Major Character Death',
  'Rape/Non-Con',
  'Underage Sex',
] as const;
export type ArchiveWarning = (typeof ARCHIVE_WARNINGS)[number];

export const CATEGORIES = ['F/F', 'F/M', 'Gen', 'M/M', 'Multi', 'Other'] as const;
export type Category = (typeof CATEGORIES)[number];

/** Tag types in the order the work's metadata block shows them. */
export const TAG_TYPES = [
  'rating',
  'warning',
  'category',
  'fandom',
  'relationship',
  'character',
  'freeform',
] as const;
export type TagType = (typeof TAG_TYPES)[number];

/** The types writers type freely; the others come from the fixed sets above. */
export const USER_TAG_TYPES = ['fandom', 'relationship', 'character', 'freeform'] as const;
export type UserTagType = (typeof USER_TAG_TYPES)[number];

export const TAG_TYPE_LABELS: Record<TagType, { one: string; many: string }> = {
  rating: { one: 'Rating', many: 'Ratings' },
  warning: { one: 'Archive Warning', many: 'Archive Warnings' },
  category: { one: 'Category', many: 'Categories' },
  fandom: { one: 'Fandom', many: 'Fandoms' },
  relationship: { one: 'Relationship', many: 'Relationships' },
  character: { one: 'Character', many: 'Characters' },
  freeform: { one: 'Additional Tag', many: 'Additional Tags' },
};

/** Short codes for the rating square in listings, as AO3 readers scan for them. */
export const RATING_SYMBOLS: Record<Rating, string> = {
  'Not Rated': 'NR',
  'General Audiences': 'G',
  'Teen And Up Audiences': 'T',
  Mature: 'M',
  Explicit: 'E',
};
