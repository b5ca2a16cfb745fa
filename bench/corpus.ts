import type { TagParentKind } from '../src/db/schema.ts';
import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS, type TagType } from '../src/domain/vocabulary.ts';
import { mixSeed, Random, Weighted, zipf } from './random.ts';
import * as words from './words.ts';

// A synthetic archive shaped like AO3 where it matters for finding works: a few fandoms hold most
// works (Zipf), characters and relationships belong to their fandom, a handful of additional tags sit
// on most works, some tags are wrangled (synonyms, meta tags) so the filter closure differs from the
// typed tags, and word counts, dates and kudos are heavy-tailed. Every work is generated from its own
// seeded stream, so any range of works can be produced on its own and the same seed always gives the
// same archive.

export const DEFAULT_SEED = 6;

const FANDOM_COUNT = 2000;
/** Makes the largest fandom hold about 9–10% of works (crossovers included), as in the corpus. */
const FANDOM_EXPONENT = 0.93;
const CROSSOVER_SHARE = 0.05;
const FREEFORM_COUNT = 5000;
/** Additional tags on most works and how many works carry each (the issue measured 60–97%). */
const COMMON_FREEFORMS: ReadonlyArray<readonly [string, number]> = [
  ['Fluff', 0.97],
  ['Angst', 0.85],
  ['Hurt/Comfort', 0.72],
  ['Romance', 0.6],
];
/** Freeforms past this popularity rank were never wrangled (neither canonical nor synonyms). */
const CANONICAL_FREEFORM_RANKS = 1500;
/** How often a writer types the synonym rather than the canonical tag, where a synonym exists. */
const SYNONYM_USE = 0.15;
const FRANCHISE_COUNT = 25;
const FIRST_POSTED = Date.UTC(2010, 0, 1);
const LAST_UPDATED = Date.UTC(2025, 5, 1);
const DAY = 86_400_000;
/** Tags exist before the first work, so listings never show a tag newer than its works. */
export const CORPUS_EPOCH = new Date(FIRST_POSTED - 30 * DAY).toISOString();

const RATING_WEIGHTS: Record<(typeof RATINGS)[number], number> = {
  'Not Rated': 8,
  'General Audiences': 28,
  'Teen And Up Audiences': 30,
  Mature: 14,
  Explicit: 20,
};
const CATEGORY_WEIGHTS: Record<(typeof CATEGORIES)[number], number> = {
  'F/F': 8,
  'F/M': 25,
  Gen: 25,
  'M/M': 35,
  Multi: 4,
  Other: 3,
};
/** Serious warnings and how often each is chosen when a work carries any. */
const SERIOUS_WARNINGS: ReadonlyArray<readonly [(typeof ARCHIVE_WARNINGS)[number], number]> = [
  ['Graphic Depictions Of Violence', 0.6],
  ['Major Character Death', 0.4],
  ['Rape/Non-Con', 0.1],
  ['Underage Sex', 0.07],
];
const LANGUAGE_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['en', 880],
  ['zh', 30],
  ['es', 20],
  ['ru', 20],
  ['fr', 12],
  ['de', 10],
  ['pt-BR', 8],
  ['ja', 6],
  ['it', 5],
  ['ko', 4],
  ['pl', 3],
  ['id', 2],
];
/** AU subtags under "Alternate Universe - Modern Setting" (the rest sit directly under "Alternate Universe"). */
const MODERN_SETTINGS = new Set([
  'College/University',
  'Coffee Shops & Cafés',
  'Office',
  'High School',
  'Hospital',
  'Bakery',
  'Flower Shop',
  'Bookstore',
  'Roommates',
  'Fake Dating',
  'Band',
  'Sports',
  'Figure Skating',
  'Hockey',
  'Actors',
  'Musicians',
]);
const HISTORICAL_SETTINGS = new Set(['Regency', 'Victorian', 'Wild West']);
/** Freeforms whose qualified forms ("Mild Angst") are wrangled as their subtags. */
const META_FREEFORMS = ['Fluff', 'Angst', 'Hurt/Comfort'];
/** Synonyms writers type for popular freeforms; other popular freeforms get "<name> Fic". */
const FREEFORM_SYNONYMS: Record<string, string> = {
  Fluff: 'Fluffy',
  Angst: 'Angsty',
  'Hurt/Comfort': 'H/C',
  Romance: 'Romantic',
  Humor: 'Humour',
  'Slow Burn': 'Slowburn',
  'Found Family': 'Found Families',
  'Established Relationship': 'Established Relationships',
  'Friends to Lovers': 'Friends-to-Lovers',
  'Enemies to Lovers': 'Enemies-to-Lovers',
};

export interface CorpusTag {
  id: number;
  name: string;
  type: TagType;
  canonical: boolean;
  /** The canonical tag this one is a synonym of. */
  mergerId: number | null;
}

export interface CorpusTagParent {
  parentId: number;
  childId: number;
  kind: TagParentKind;
}

export interface CorpusUser {
  /** Users and their default pseuds share ids. */
  id: number;
  username: string;
}

export interface CorpusChapter {
  title: string;
  /** Sanitised-shape HTML, as the chapters service stores it. */
  html: string;
  /** What htmlToPlainText makes of `html`. */
  text: string;
  wordCount: number;
  postedAt: string;
}

export interface CorpusWork {
  id: number;
  title: string;
  summaryHtml: string;
  summaryText: string;
  language: string;
  complete: boolean;
  expectedChapters: number | null;
  restricted: boolean;
  draft: boolean;
  wordCount: number;
  kudos: number;
  hits: number;
  comments: number;
  bookmarks: number;
  postedAt: string;
  updatedAt: string;
  /** Pseud ids, in credit order. */
  creatorIds: number[];
  /** Tag ids as the creator typed them (rating, warnings, categories, fandoms, …). */
  tagIds: number[];
  chapters: CorpusChapter[];
}

/** A fandom's own tags, most popular first, and how often works pick each. */
interface Fandom {
  tagId: number;
  characters: number[];
  pickCharacter: Weighted;
  relationships: Array<{ tagId: number; members: [number, number] }>;
  pickRelationship: Weighted;
}

/** A fandom as the benchmark chooses among them. */
export interface FandomInfo {
  tagId: number;
  name: string;
  /** The share of works expected to carry it (before crossovers). */
  share: number;
}

export class Corpus {
  readonly seed: number;
  readonly workCount: number;
  readonly userCount: number;
  readonly tags: CorpusTag[] = [];
  readonly parents: CorpusTagParent[] = [];
  /** Fandoms, most works first. */
  readonly fandoms: FandomInfo[] = [];
  /** Freeform tag ids, most works first (the common ones lead). */
  readonly freeformsByRank: number[] = [];

  private readonly byKey = new Map<string, number>();
  private readonly fandomDetails: Fandom[] = [];
  private readonly firstNames = new Map<number, string>();
  private readonly synonymOf = new Map<number, number>();
  /** Canonical tag id → the synonym writers sometimes type instead. */
  private readonly synonymFor = new Map<number, number>();
  private readonly metaParents = new Map<number, number[]>();
  private readonly closures = new Map<number, number[]>();
  private readonly ratingIds: number[] = [];
  private readonly warningIds = new Map<string, number>();
  private readonly categoryIds: number[] = [];
  private readonly commonFreeforms: Array<{ tagId: number; share: number }> = [];
  private readonly tailFreeforms: number[] = [];

  private readonly pickFandom = zipf(FANDOM_COUNT, FANDOM_EXPONENT);
  private readonly pickTailFreeform: Weighted;
  private readonly pickUser: Weighted;
  private readonly pickRating = new Weighted(Object.values(RATING_WEIGHTS));
  private readonly pickCategory = new Weighted(Object.values(CATEGORY_WEIGHTS));
  private readonly pickLanguage = new Weighted(LANGUAGE_WEIGHTS.map(([, weight]) => weight));
  private readonly pickRelationshipCount = new Weighted([25, 50, 18, 7]);
  private readonly pickExtraCharacters = new Weighted([20, 35, 30, 15]);
  private readonly pickTailCount = new Weighted([20, 30, 25, 15, 10]);
  private readonly text = new TextWriter();

  constructor(options: { seed: number; works: number }) {
    this.seed = options.seed;
    this.workCount = options.works;
    this.userCount = Math.max(50, Math.round(options.works / 4));
    // Flatter than the fandoms: prolific writers exist, but no one writes a tenth of the archive.
    this.pickUser = zipf(this.userCount, 0.6);
    const random = new Random(mixSeed(this.seed, 0xfa0d0));
    this.addFixedTags();
    this.addFandoms(random);
    this.addFreeforms(random);
    this.pickTailFreeform = zipf(this.tailFreeforms.length, 1);
    this.addSynonyms();
  }

  tag(id: number): CorpusTag {
    return this.tags[id - 1];
  }

  user(id: number): CorpusUser {
    const random = new Random(mixSeed(this.seed ^ 0x5eed, id));
    return { id, username: `${random.pick(words.FIRST_NAMES)}_${random.pick(words.SURNAMES)}${id}` };
  }

  /** The tags a work is found under: what it carries, the canonical of each synonym, all meta tags above. */
  filterTagIds(work: CorpusWork): number[] {
    const found = new Set<number>();
    for (const tagId of work.tagIds) for (const reached of this.closure(tagId)) found.add(reached);
    return [...found];
  }

  work(id: number): CorpusWork {
    const random = new Random(mixSeed(this.seed, id));
    const tagIds = this.workTags(random);
    const characterNames = tagIds.flatMap((tagId) => {
      const name = this.firstNames.get(this.synonymOf.get(tagId) ?? tagId);
      return name ? [name] : [];
    });
    if (characterNames.length === 0) characterNames.push(random.pick(words.FIRST_NAMES));

    const wordCount = Math.round(Math.min(Math.max(random.logNormal(3500, 1.35), 100), 1_500_000));
    const chapterCount =
      wordCount < 4000
        ? random.chance(0.08)
          ? 2 + random.int(2)
          : 1
        : Math.min(300, Math.max(1, Math.round(wordCount / random.logNormal(3500, 0.5))));
    const complete = chapterCount === 1 ? random.chance(0.92) : random.chance(0.55);
    const expectedChapters = complete
      ? chapterCount
      : random.chance(0.4)
        ? null
        : chapterCount + 1 + random.int(10);

    // More works each year, as on AO3: posting times follow exponential growth.
    const growth = 1.6;
    const spread = Math.log(1 + random.next() * (Math.exp(growth) - 1)) / growth;
    const posted = FIRST_POSTED + Math.floor(spread * (LAST_UPDATED - FIRST_POSTED));
    const updated =
      chapterCount === 1
        ? posted
        : Math.min(
            LAST_UPDATED,
            posted + Math.floor(random.logNormal(60, 1.2) * Math.sqrt(chapterCount) * DAY),
          );

    const chapters: CorpusChapter[] = [];
    const bodyWords = Math.min(Math.max(Math.round(300 + 60 * random.normal()), 150), 480);
    const perChapter = Math.max(12, Math.round(bodyWords / chapterCount));
    for (let index = 0; index < chapterCount; index++) {
      const paragraphs = this.text.paragraphs(random, perChapter, characterNames);
      const share = Math.floor(wordCount / chapterCount) + (index < wordCount % chapterCount ? 1 : 0);
      const at =
        chapterCount === 1 ? posted : posted + Math.floor(((updated - posted) * index) / (chapterCount - 1));
      chapters.push({
        title: chapterCount > 1 && random.chance(0.5) ? this.text.title(random, characterNames) : '',
        html: paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n'),
        text: paragraphs.join(' '),
        wordCount: share,
        postedAt: new Date(at).toISOString(),
      });
    }
    const summary = this.text.sentences(random, 2 + random.int(3), characterNames);

    // Readers find older, longer and luckier works more: hits are heavy-tailed, the rest follow hits.
    const ageYears = (LAST_UPDATED - posted) / (365 * DAY);
    const hits = Math.round(
      random.logNormal(700, 1.3) * chapterCount ** 0.3 * (0.5 + (0.5 * Math.min(ageYears, 4)) / 4),
    );
    const kudos = Math.round(hits * Math.min(Math.max(random.logNormal(0.06, 0.5), 0.005), 0.5));
    const creatorIds = [this.pickUser.sample(random) + 1];
    if (random.chance(0.03)) {
      const second = this.pickUser.sample(random) + 1;
      if (second !== creatorIds[0]) creatorIds.push(second);
    }
    return {
      id,
      title: this.text.title(random, characterNames),
      summaryHtml: `<p>${summary}</p>`,
      summaryText: summary,
      language: LANGUAGE_WEIGHTS[this.pickLanguage.sample(random)][0],
      complete,
      expectedChapters,
      restricted: random.chance(0.04),
      draft: random.chance(0.01),
      wordCount,
      kudos,
      hits,
      comments: Math.round(kudos * random.logNormal(0.08, 0.8) * Math.sqrt(chapterCount)),
      bookmarks: Math.round(kudos * random.logNormal(0.15, 0.6)),
      postedAt: new Date(posted).toISOString(),
      updatedAt: new Date(updated).toISOString(),
      creatorIds,
      tagIds,
      chapters,
    };
  }

  private workTags(random: Random): number[] {
    const typed: number[] = [];
    const add = (tagId: number): void => {
      const synonym = this.synonymFor.get(tagId);
      const chosen = synonym !== undefined && random.chance(SYNONYM_USE) ? synonym : tagId;
      if (!typed.includes(chosen)) typed.push(chosen);
    };

    add(this.ratingIds[this.pickRating.sample(random)]);
    const warningRoll = random.next();
    if (warningRoll < 0.55) add(this.warningIds.get('No Archive Warnings Apply')!);
    else if (warningRoll < 0.85) add(this.warningIds.get('Creator Chose Not To Use Archive Warnings')!);
    else {
      const serious = SERIOUS_WARNINGS.filter(([, share]) => random.chance(share));
      for (const [name] of serious.length > 0 ? serious : SERIOUS_WARNINGS.slice(0, 1)) {
        add(this.warningIds.get(name)!);
      }
    }
    const category = this.pickCategory.sample(random);
    add(this.categoryIds[category]);
    if (random.chance(0.12)) add(this.categoryIds[(category + 1 + random.int(CATEGORIES.length - 1)) % 6]);

    const fandoms = [this.fandomDetails[this.pickFandom.sample(random)]];
    if (random.chance(CROSSOVER_SHARE)) {
      const other = this.fandomDetails[this.pickFandom.sample(random)];
      if (other !== fandoms[0]) fandoms.push(other);
    }
    for (const fandom of fandoms) add(fandom.tagId);

    const members: number[] = [];
    const relationshipCount = this.pickRelationshipCount.sample(random);
    for (let index = 0; index < relationshipCount; index++) {
      const fandom = fandoms[index % fandoms.length];
      const relationship = fandom.relationships[fandom.pickRelationship.sample(random)];
      add(relationship.tagId);
      members.push(...relationship.members);
    }
    const extra = this.pickExtraCharacters.sample(random) + (members.length === 0 ? 1 : 0);
    for (let index = 0; index < extra; index++) {
      const fandom = fandoms[random.int(fandoms.length)];
      members.push(fandom.characters[fandom.pickCharacter.sample(random)]);
    }
    for (const character of members.slice(0, 8)) add(character);

    for (const { tagId, share } of this.commonFreeforms) if (random.chance(share)) add(tagId);
    const tailCount = this.pickTailCount.sample(random);
    for (let index = 0; index < tailCount; index++)
      add(this.tailFreeforms[this.pickTailFreeform.sample(random)]);
    return typed;
  }

  /** The same walk rebuildFilterTags makes: synonym → canonical, subtag → meta tag, as deep as it goes. */
  private closure(tagId: number): number[] {
    const known = this.closures.get(tagId);
    if (known) return known;
    const reached = new Set<number>([tagId]);
    const pending = [tagId];
    while (pending.length > 0) {
      const current = pending.pop()!;
      const steps = [...(this.metaParents.get(current) ?? [])];
      const merger = this.tag(current).mergerId;
      if (merger !== null) steps.push(merger);
      for (const step of steps) {
        if (reached.has(step)) continue;
        reached.add(step);
        pending.push(step);
      }
    }
    const result = [...reached];
    this.closures.set(tagId, result);
    return result;
  }

  /** Adds a tag unless its name is taken (names are unique across types); returns its id or null. */
  private addTag(
    name: string,
    type: TagType,
    canonical: boolean,
    mergerId: number | null = null,
  ): number | null {
    const key = name.toLowerCase();
    if (this.byKey.has(key) || name.length > 150) return null;
    const id = this.tags.length + 1;
    this.tags.push({ id, name, type, canonical, mergerId });
    this.byKey.set(key, id);
    return id;
  }

  private addParent(parentId: number, childId: number, kind: TagParentKind): void {
    this.parents.push({ parentId, childId, kind });
    if (kind === 'meta') this.metaParents.set(childId, [...(this.metaParents.get(childId) ?? []), parentId]);
  }

  private addFixedTags(): void {
    for (const name of RATINGS) this.ratingIds.push(this.addTag(name, 'rating', true)!);
    for (const name of ARCHIVE_WARNINGS) this.warningIds.set(name, this.addTag(name, 'warning', true)!);
    for (const name of CATEGORIES) this.categoryIds.push(this.addTag(name, 'category', true)!);
  }

  private addFandoms(random: Random): void {
    const titles: string[] = [];
    const media: string[] = [];
    const taken = new Set<string>();
    while (titles.length < FANDOM_COUNT) {
      const adjective = capitalise(random.pick(words.ADJECTIVES));
      const noun = random.pick(words.TITLE_WORDS);
      const title = random.chance(0.5)
        ? `The ${adjective} ${noun}`
        : random.chance(0.5)
          ? `${noun} of ${random.pick(words.SURNAMES)}`
          : `${adjective} ${noun}`;
      if (taken.has(title)) continue;
      taken.add(title);
      titles.push(title);
      media.push(random.pick(words.FANDOM_MEDIA));
    }
    // A franchise: a popular fandom whose story also exists in other media, told apart by the medium.
    const franchises: number[][] = [];
    for (let index = 0; index < FRANCHISE_COUNT; index++) {
      const leader = index * 6;
      const members = [leader];
      const siblings = 1 + random.int(2);
      for (let sibling = 0; sibling < siblings; sibling++) {
        const rank = FRANCHISE_COUNT * 6 + random.int(FANDOM_COUNT - FRANCHISE_COUNT * 6);
        if (franchises.some((group) => group.includes(rank)) || members.includes(rank)) continue;
        titles[rank] = titles[leader];
        const otherMedia = words.FANDOM_MEDIA.filter((medium) => !members.some((m) => media[m] === medium));
        media[rank] = random.pick(otherMedia);
        members.push(rank);
      }
      franchises.push(members);
    }

    for (let rank = 0; rank < FANDOM_COUNT; rank++) {
      const name = `${titles[rank]} ${media[rank]}`;
      const tagId = this.addTag(name, 'fandom', true)!;
      this.fandoms.push({ tagId, name, share: this.pickFandom.share(rank) });
    }
    for (const members of franchises) {
      const meta = this.addTag(`${titles[members[0]]} - All Media Types`, 'fandom', true)!;
      for (const rank of members) this.addParent(meta, this.fandoms[rank].tagId, 'meta');
    }

    for (let rank = 0; rank < FANDOM_COUNT; rank++) {
      const fandom = this.fandoms[rank];
      const characterCount = 8 + Math.round(200 * (rank + 1) ** -0.6);
      const characters: number[] = [];
      const names: string[] = [];
      while (characters.length < characterCount) {
        const first = random.pick(words.FIRST_NAMES);
        const last = random.pick(words.SURNAMES);
        if (first === last) continue;
        const plain = random.chance(0.2) ? first : `${first} ${last}`;
        const tagId =
          this.addTag(plain, 'character', true) ??
          this.addTag(`${plain} (${titles[rank]})`, 'character', true);
        if (tagId === null) continue;
        this.addParent(fandom.tagId, tagId, 'fandom');
        this.firstNames.set(tagId, first);
        characters.push(tagId);
        names.push(this.tag(tagId).name);
      }
      const pickCharacter = zipf(characterCount, 1);
      const relationships: Fandom['relationships'] = [];
      const wanted = Math.round(characterCount * 1.5);
      for (let attempt = 0; attempt < wanted * 4 && relationships.length < wanted; attempt++) {
        const a = pickCharacter.sample(random);
        const b = pickCharacter.sample(random);
        if (a === b) continue;
        const [first, second] = a < b ? [a, b] : [b, a];
        const name = random.chance(0.7)
          ? `${names[first]}/${names[second]}`
          : `${names[first]} & ${names[second]}`;
        const tagId = this.addTag(name, 'relationship', true);
        if (tagId === null) continue;
        this.addParent(fandom.tagId, tagId, 'fandom');
        relationships.push({ tagId, members: [characters[first], characters[second]] });
      }
      this.fandomDetails.push({
        tagId: fandom.tagId,
        characters,
        pickCharacter,
        relationships,
        pickRelationship: zipf(relationships.length, 1),
      });
    }
  }

  private addFreeforms(random: Random): void {
    const common = COMMON_FREEFORMS.map(([name]) => name);
    const bases = words.FREEFORM_BASES.filter((name) => !common.includes(name));
    const alternateUniverses = words.AU_SETTINGS.map((setting) => `Alternate Universe - ${setting}`);
    const qualified: string[] = [];
    for (const modifier of words.FREEFORM_MODIFIERS) {
      for (const base of words.FREEFORM_BASES)
        if (!base.includes(modifier)) qualified.push(`${modifier} ${base}`);
    }
    shuffle(qualified, random);
    // Alternate Universe subtags spread over the popular ranks, so the meta tag covers many works.
    const tail = [...bases, ...qualified].slice(
      0,
      FREEFORM_COUNT - common.length - alternateUniverses.length,
    );
    for (const [index, name] of alternateUniverses.entries()) tail.splice(8 + index * 10, 0, name);
    const metaChildren = new Map<string, string>();
    for (const name of tail) {
      const base = META_FREEFORMS.find((meta) => name.endsWith(` ${meta}`));
      if (base) metaChildren.set(name, base);
    }

    for (const [name, share] of COMMON_FREEFORMS) {
      const tagId = this.addTag(name, 'freeform', true)!;
      this.commonFreeforms.push({ tagId, share });
      this.freeformsByRank.push(tagId);
    }
    for (const [index, name] of tail.entries()) {
      const wrangled =
        index + common.length < CANONICAL_FREEFORM_RANKS ||
        name.startsWith('Alternate Universe') ||
        metaChildren.has(name);
      const tagId = this.addTag(name, 'freeform', wrangled);
      if (tagId === null) continue;
      this.tailFreeforms.push(tagId);
      this.freeformsByRank.push(tagId);
    }

    const idOf = (name: string): number => this.byKey.get(name.toLowerCase())!;
    for (const [child, base] of metaChildren) this.addParent(idOf(base), idOf(child), 'meta');
    const root = idOf('Alternate Universe');
    const modern = idOf('Alternate Universe - Modern Setting');
    const historical = idOf('Alternate Universe - Historical');
    for (const setting of words.AU_SETTINGS) {
      const parent = MODERN_SETTINGS.has(setting)
        ? modern
        : HISTORICAL_SETTINGS.has(setting)
          ? historical
          : root;
      this.addParent(parent, idOf(`Alternate Universe - ${setting}`), 'meta');
    }
  }

  /** A few hundred synonyms on popular tags: fandom abbreviations, short names, reversed pairings. */
  private addSynonyms(): void {
    const merge = (canonicalId: number, name: string): void => {
      const canonical = this.tag(canonicalId);
      const synonym = this.addTag(name, canonical.type, false, canonicalId);
      if (synonym === null) return;
      this.synonymFor.set(canonicalId, synonym);
      this.synonymOf.set(synonym, canonicalId);
    };
    for (const fandom of this.fandoms.slice(0, 80)) {
      const [title, medium] = splitMedium(fandom.name);
      const initials = title
        .split(' ')
        .map((word) => word[0])
        .join('')
        .toUpperCase();
      merge(fandom.tagId, `${initials} ${medium}`);
    }
    for (const fandom of this.fandomDetails.slice(0, 50)) {
      for (const characterId of fandom.characters.slice(0, 3)) {
        const [first, last] = this.tag(characterId).name.split(' ');
        if (last && !last.startsWith('(')) merge(characterId, `${first} ${last[0]}.`);
      }
    }
    for (const fandom of this.fandomDetails.slice(0, 40)) {
      for (const relationship of fandom.relationships.slice(0, 2)) {
        const [a, b] = relationship.members.map((member) => this.tag(member).name);
        const slash = this.tag(relationship.tagId).name.includes('/');
        merge(relationship.tagId, slash ? `${b}/${a}` : `${b} & ${a}`);
      }
    }
    for (const tagId of this.freeformsByRank.slice(0, 60)) {
      const name = this.tag(tagId).name;
      if (name.startsWith('Alternate Universe -') || name.endsWith('Fic')) continue;
      merge(tagId, FREEFORM_SYNONYMS[name] ?? `${name} Fic`);
    }
  }
}

/** Titles, summaries and chapter text from the word lists, with common words far more common than rare ones. */
class TextWriter {
  private readonly noun = zipf(words.NOUNS.length, 1);
  private readonly verb = zipf(words.VERBS.length, 1);
  private readonly adjective = zipf(words.ADJECTIVES.length, 1);
  private readonly adverb = zipf(words.ADVERBS.length, 0.9);
  private readonly preposition = zipf(words.PREPOSITIONS.length, 1);
  private readonly determiner = zipf(words.DETERMINERS.length, 1);

  title(random: Random, names: string[]): string {
    const adjective = capitalise(words.ADJECTIVES[this.adjective.sample(random)]);
    const noun = capitalise(words.NOUNS[this.noun.sample(random)]);
    switch (random.int(5)) {
      case 0:
        return `The ${adjective} ${noun}`;
      case 1:
        return `${noun} of ${capitalise(words.NOUNS[this.noun.sample(random)])}`;
      case 2:
        return `What the ${noun} ${capitalise(words.VERBS[this.verb.sample(random)])}`;
      case 3:
        return `${random.pick(names)} and the ${adjective} ${noun}`;
      default:
        return `${adjective} ${noun}, ${capitalise(words.ADJECTIVES[this.adjective.sample(random)])} ${capitalise(words.NOUNS[this.noun.sample(random)])}`;
    }
  }

  /** Paragraphs of three to six sentences, about `wordCount` words in all. */
  paragraphs(random: Random, wordCount: number, names: string[]): string[] {
    const paragraphs: string[] = [];
    let written = 0;
    while (written < wordCount) {
      const sentences: string[] = [];
      const length = 3 + random.int(4);
      for (let index = 0; index < length && written < wordCount; index++) {
        const sentence = this.sentence(random, names);
        sentences.push(sentence.text);
        written += sentence.words;
      }
      paragraphs.push(sentences.join(' '));
    }
    return paragraphs;
  }

  sentences(random: Random, count: number, names: string[]): string {
    return Array.from({ length: count }, () => this.sentence(random, names).text).join(' ');
  }

  private sentence(random: Random, names: string[]): { text: string; words: number } {
    const noun = () => words.NOUNS[this.noun.sample(random)];
    const verb = () => words.VERBS[this.verb.sample(random)];
    const adjective = () => words.ADJECTIVES[this.adjective.sample(random)];
    const adverb = () => words.ADVERBS[this.adverb.sample(random)];
    const preposition = () => words.PREPOSITIONS[this.preposition.sample(random)];
    const determiner = () => words.DETERMINERS[this.determiner.sample(random)];
    switch (random.int(6)) {
      case 0:
        return {
          text: `${capitalise(determiner())} ${adjective()} ${noun()} ${verb()} ${preposition()} ${determiner()} ${noun()}.`,
          words: 7,
        };
      case 1:
        return { text: `${random.pick(names)} ${verb()} ${adverb()}.`, words: 3 };
      case 2:
        return {
          text: `${capitalise(random.pick(words.PRONOUNS))} ${verb()} ${preposition()} ${determiner()} ${adjective()} ${noun()}, ${random.pick(words.CONJUNCTIONS)} ${determiner()} ${noun()} ${verb()} ${adverb()}.`,
          words: 11,
        };
      case 3:
        return {
          text: `"${capitalise(random.pick(words.INTERJECTIONS))}, ${random.pick(words.PRONOUNS)} ${verb()} the ${noun()}," ${random.pick(names)} said.`,
          words: 7,
        };
      case 4:
        return {
          text: `${pair(random, names)} ${verb()} ${preposition()} the ${noun()} ${adverb()}.`,
          words: 8,
        };
      default:
        return {
          text: `The ${noun()} ${verb()} ${preposition()} the ${adjective()} ${noun()} ${random.pick(words.CONJUNCTIONS)} ${random.pick(words.PRONOUNS)} ${verb()}.`,
          words: 10,
        };
    }
  }
}

/** Two different names when the work has two characters to offer. */
function pair(random: Random, names: string[]): string {
  const first = random.int(names.length);
  const second = names.length > 1 ? (first + 1 + random.int(names.length - 1)) % names.length : first;
  return `${names[first]} and ${names[second]}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function splitMedium(fandomName: string): [string, string] {
  const open = fandomName.lastIndexOf(' (');
  return [fandomName.slice(0, open), fandomName.slice(open + 1)];
}

function shuffle<T>(items: T[], random: Random): void {
  for (let index = items.length - 1; index > 0; index--) {
    const other = random.int(index + 1);
    [items[index], items[other]] = [items[other], items[index]];
  }
}
