import { Fragment } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import { canWrangle } from '../../domain/permissions.ts';
import { USER_TAG_TYPES } from '../../domain/vocabulary.ts';
import type { TagRelations } from '../../services/tagRelations.ts';
import type { TagCount, TagPage as TagFacts } from '../../services/tags.ts';
import { FANDOM_MEMBER_TYPES } from '../../services/wrangling.ts';
import { Checkbox, Choices, ErrorSummary, type FieldErrors, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatCount, Pagination } from './WorkParts.tsx';

/** The wrangling form as it was filled in (or as the tag stands, before any change). */
export interface WranglingFormState {
  values: { canonical: boolean; synonym_of: string; fandoms: string; meta_tags: string };
  remove: { fandoms: string[]; metaTags: string[]; subTags: string[] };
  message?: string;
  errors?: FieldErrors;
}

function wranglingFormState(tag: TagFacts): WranglingFormState {
  return {
    values: { canonical: tag.canonical, synonym_of: tag.mergerName ?? '', fandoms: '', meta_tags: '' },
    remove: { fandoms: [], metaTags: [], subTags: [] },
  };
}

function TagLinks({ names }: { names: string[] }) {
  return (
    <ul class="tags">
      {names.map((name) => (
        <li key={name}>
          <a class="tag" href={paths.tag(name)}>
            {name}
          </a>
        </li>
      ))}
    </ul>
  );
}

function WranglingForm({
  context,
  tag,
  relations,
  form,
}: {
  context: PageContext;
  tag: TagFacts;
  relations: TagRelations;
  form: WranglingFormState;
}) {
  const { values, errors } = form;
  const synonym = tag.mergerName !== null;
  const belongsToFandoms = FANDOM_MEMBER_TYPES.includes(tag.type);
  return (
    <section class="wrangling" aria-labelledby="wrangling-heading">
      <h2 id="wrangling-heading">Wrangle this tag</h2>
      <form method="post" action={paths.wrangleTag(tag.name)} novalidate>
        <CsrfField context={context} />
        {synonym ? null : (
          <Checkbox
            name="canonical"
            label="Canonical"
            checked={values.canonical}
            hint="Readers filter by canonical tags. A synonym is never canonical: filling in “Synonym of” makes this tag a synonym instead."
          />
        )}
        <TextField
          name="synonym_of"
          label="Synonym of"
          value={values.synonym_of}
          errors={errors}
          tagAutocomplete={tag.type}
          hint={
            synonym
              ? 'Clear this to undo the synonym; the tag is then unwrangled again.'
              : `A canonical ${tag.typeLabel.toLowerCase()} tag. Its synonyms, subtags and fandoms move there too.`
          }
        />
        {belongsToFandoms && !synonym ? (
          <TextField
            name="fandoms"
            label="Add fandoms"
            value={values.fandoms}
            errors={errors}
            tagAutocomplete="fandom"
            hint="Canonical fandoms this tag belongs to, separated by commas."
          />
        ) : null}
        {relations.fandoms.length > 0 ? (
          <Choices
            name="remove_fandoms"
            legend="Remove from fandoms"
            options={relations.fandoms}
            checked={form.remove.fandoms}
            errors={errors}
          />
        ) : null}
        {synonym ? null : (
          <TextField
            name="meta_tags"
            label="Add meta tags"
            value={values.meta_tags}
            errors={errors}
            tagAutocomplete={tag.type}
            hint="Canonical tags of the same type this one sits under, separated by commas. Works found under this tag are found under them too."
          />
        )}
        {relations.metaTags.length > 0 ? (
          <Choices
            name="remove_meta_tags"
            legend="Remove meta tags"
            options={relations.metaTags}
            checked={form.remove.metaTags}
            errors={errors}
          />
        ) : null}
        {relations.subTags.length > 0 ? (
          <Choices
            name="remove_sub_tags"
            legend="Remove subtags"
            options={relations.subTags}
            checked={form.remove.subTags}
            errors={errors}
          />
        ) : null}
        <p>
          <button type="submit">Save changes</button>
        </p>
      </form>
    </section>
  );
}

function statusOf(tag: TagFacts) {
  if (tag.mergerName !== null) {
    return (
      <>
        Synonym of <a href={paths.tag(tag.mergerName)}>{tag.mergerName}</a>: works tagged {tag.name} are found
        under it.
      </>
    );
  }
  return tag.canonical
    ? 'Canonical: readers filter by this tag.'
    : 'Unwrangled: not yet sorted into the archive’s canonical tags.';
}

export function TagPage({
  context,
  tag,
  relations,
  form,
}: {
  context: PageContext;
  tag: TagFacts;
  relations: TagRelations;
  form?: WranglingFormState;
}) {
  const facts: [string, string[]][] = [
    ['Synonyms', relations.synonyms],
    ['Fandoms', relations.fandoms],
    ['Meta tags', relations.metaTags],
    ['Subtags', relations.subTags],
  ];
  return (
    <Layout context={context} title={tag.name}>
      <h1 class="page-title">{tag.name}</h1>
      <ErrorSummary message={form?.message} fields={form?.errors} />
      <dl class="tag-facts">
        <dt>Type:</dt>
        <dd>{tag.typeLabel}</dd>
        <dt>Status:</dt>
        <dd>{statusOf(tag)}</dd>
        {facts.map(([label, names]) =>
          names.length > 0 ? (
            <Fragment key={label}>
              <dt>{label}:</dt>
              <dd>
                <TagLinks names={names} />
              </dd>
            </Fragment>
          ) : null,
        )}
        <dt>Works:</dt>
        <dd>{formatCount(relations.worksCount)}</dd>
      </dl>
      <p>
        <a class="button" href={paths.tagWorks(tag.mergerName ?? tag.name)}>
          Works tagged {tag.mergerName ?? tag.name}
        </a>
      </p>
      {relations.fandomTags.map((group) => (
        <section class="fandom-tags" key={group.type} aria-label={group.label}>
          <h2>{group.label}</h2>
          <TagLinks names={group.names} />
        </section>
      ))}
      {canWrangle(context.viewer) && (USER_TAG_TYPES as readonly string[]).includes(tag.type) ? (
        <WranglingForm
          context={context}
          tag={tag}
          relations={relations}
          form={form ?? wranglingFormState(tag)}
        />
      ) : null}
    </Layout>
  );
}

/** "A", "B", … for Latin names (accents set aside), the letter itself for other scripts, "#" for the rest. */
function initialOf(name: string): string {
  const first = name.normalize('NFD').charAt(0).toUpperCase();
  return /\p{L}/u.test(first) ? first : '#';
}

export function FandomsPage({
  context,
  fandoms,
  page,
  pages,
}: {
  context: PageContext;
  fandoms: TagCount[];
  page: number;
  pages: number;
}) {
  const byInitial = new Map<string, TagCount[]>();
  for (const fandom of fandoms) {
    const initial = initialOf(fandom.name);
    byInitial.set(initial, [...(byInitial.get(initial) ?? []), fandom]);
  }
  const letters = [...byInitial.keys()];
  return (
    <Layout context={context} title="Fandoms">
      <h1 class="page-title">Fandoms</h1>
      {fandoms.length === 0 ? (
        <p class="empty">No works visible to you have been posted yet.</p>
      ) : (
        <>
          <nav class="letter-index" aria-label="Fandoms by letter">
            <ul>
              {letters.map((letter) => (
                <li key={letter}>
                  <a href={`#letter-${encodeURIComponent(letter)}`}>{letter}</a>
                </li>
              ))}
            </ul>
          </nav>
          {letters.map((letter) => (
            <section class="fandom-letter" key={letter} id={`letter-${encodeURIComponent(letter)}`}>
              <h2>{letter}</h2>
              <ul class="fandom-list">
                {byInitial.get(letter)?.map((fandom) => (
                  <li key={fandom.name}>
                    <a class="tag" href={paths.tagWorks(fandom.name)}>
                      {fandom.name}
                    </a>{' '}
                    <span class="count">({formatCount(fandom.works)})</span>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          <Pagination page={page} pages={pages} basePath={paths.fandoms()} />
        </>
      )}
    </Layout>
  );
}
