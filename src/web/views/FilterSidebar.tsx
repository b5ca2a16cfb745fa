import { paths } from '../../domain/archivePaths.ts';
import { LANGUAGES } from '../../domain/languages.ts';
import { TAG_TYPE_LABELS, type TagType } from '../../domain/vocabulary.ts';
import { tagKey } from '../../domain/workRules.ts';
import { SEARCH_TEXT_LIMITS } from '../../search/queryGrammar.ts';
import type { TagFacet, WorkFacets, WorkQuery, WorkSort } from '../../search/workSearch.ts';
import { WORK_SORTS } from '../../search/workSearch.ts';
import type { ChosenTag } from '../../services/workFinder.ts';
import { SelectField, TextField } from './forms.tsx';
import { formatCount } from './WorkParts.tsx';

// AO3's "Sort and Filter" sidebar: a plain GET form, so it works without JavaScript and every
// filtered listing has an address a reader can bookmark or share.

/** The form's id, so a search box elsewhere on the page can belong to it (`form="work-filters"`). */
export const FILTER_FORM_ID = 'work-filters';

const SORT_LABELS: Record<WorkSort, string> = {
  relevance: 'Best Match',
  updated: 'Date Updated',
  posted: 'Date Posted',
  kudos: 'Kudos',
  hits: 'Hits',
  comments: 'Comments',
  bookmarks: 'Bookmarks',
  words: 'Word Count',
  title: 'Title',
  creator: 'Creator',
};

/** AO3's order in the sidebar, which differs from the work page's. */
const FACET_TYPES: readonly TagType[] = [
  'rating',
  'warning',
  'category',
  'fandom',
  'character',
  'relationship',
  'freeform',
];

/** Facets shown at once per type; the rest wait behind "more". */
const SHOWN_FACETS = 5;

interface FacetOption {
  name: string;
  count: number | null;
  checked: boolean;
}

export interface FilterSidebarProps {
  action: string;
  query: WorkQuery;
  q: string;
  facets: WorkFacets;
  chosen: { include: ChosenTag[]; exclude: ChosenTag[] };
  clearHref: string;
  /** On the search page the text box stands above the results, outside the sidebar. */
  searchBoxOutside?: boolean;
}

/** The facets of one type, plus the reader's chosen tags of that type that the result no longer counts. */
function facetOptions(facets: TagFacet[], chosen: string[]): FacetOption[] {
  const chosenKeys = new Set(chosen.map(tagKey));
  const options: FacetOption[] = facets.map((facet) => ({
    name: facet.name,
    count: facet.count,
    checked: chosenKeys.has(tagKey(facet.name)),
  }));
  const listed = new Set(facets.map((facet) => tagKey(facet.name)));
  for (const name of chosen) {
    if (!listed.has(tagKey(name))) options.unshift({ name, count: null, checked: true });
    listed.add(tagKey(name));
  }
  return options;
}

function FacetCheckbox({ name, option }: { name: string; option: FacetOption }) {
  return (
    <li>
      <label class="choice">
        <input type="checkbox" name={name} value={option.name} checked={option.checked} />{' '}
        <span>
          {option.name}
          {option.count === null ? null : <span class="facet-count"> ({formatCount(option.count)})</span>}
        </span>
      </label>
    </li>
  );
}

function FacetGroup({ name, type, options }: { name: string; type: TagType; options: FacetOption[] }) {
  if (options.length === 0) return null;
  const shown = options.slice(0, SHOWN_FACETS);
  const more = options.slice(SHOWN_FACETS);
  const label = TAG_TYPE_LABELS[type].many;
  return (
    <fieldset class="facet-group">
      <legend>{label}</legend>
      <ul class="facets">
        {shown.map((option) => (
          <FacetCheckbox key={option.name} name={name} option={option} />
        ))}
      </ul>
      {more.length > 0 ? (
        <details open={more.some((option) => option.checked)}>
          <summary>
            {more.length} more {label.toLowerCase()}
          </summary>
          <ul class="facets">
            {more.map((option) => (
              <FacetCheckbox key={option.name} name={name} option={option} />
            ))}
          </ul>
        </details>
      ) : null}
    </fieldset>
  );
}

function OtherTags({ name, label, names }: { name: string; label: string; names: string[] }) {
  return (
    <div class="field">
      <label for={`filter-other-${name}`}>{label}</label>
      <input
        id={`filter-other-${name}`}
        type="text"
        name={name}
        value={names.join(', ')}
        data-tag-autocomplete="any"
        autocomplete="off"
        aria-describedby={`filter-other-${name}-hint`}
      />
      <p class="hint" id={`filter-other-${name}-hint`}>
        Tag names, separated by commas.
      </p>
    </div>
  );
}

function Radios({
  name,
  legend,
  options,
  value,
}: {
  name: string;
  legend: string;
  options: { value: string; label: string }[];
  value: string;
}) {
  return (
    <fieldset class="field">
      <legend>{legend}</legend>
      <div class="choices">
        {options.map((option) => (
          <label class="choice" key={option.value}>
            <input type="radio" name={name} value={option.value} checked={option.value === value} />{' '}
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function DateField({ name, label, value }: { name: string; label: string; value?: string }) {
  return (
    <div class="field">
      <label for={`field-${name}`}>{label}</label>
      <input id={`field-${name}`} type="date" name={name} value={value ?? ''} />
    </div>
  );
}

/** The names of the chosen tags of one type. */
function tagsOfType(tags: ChosenTag[], type: TagType): string[] {
  return tags.filter((tag) => tag.type === type).map((tag) => tag.name);
}

/** The Include or Exclude section: a checkbox group per tag type, and a box for any other tags. */
function TagFilterSection({
  choice,
  facets,
  typed,
  chosen,
  ratings = [],
}: {
  choice: 'include' | 'exclude';
  facets: WorkFacets;
  /** Every tag name the reader asked for in this section. */
  typed: string[];
  chosen: ChosenTag[];
  /** Ratings asked for by the rating parameter (Include only). */
  ratings?: string[];
}) {
  // Tags the reader typed that no checkbox carries stay in the text box, so the next submit keeps them.
  const shown = new Set(chosen.map((tag) => tagKey(tag.typed)));
  const typedOnly = typed.filter((name) => !shown.has(tagKey(name)));
  return (
    <fieldset class="filter-section">
      <legend>{choice === 'include' ? 'Include' : 'Exclude'}</legend>
      {FACET_TYPES.map((type) => {
        // A work has one rating, so included ratings are "any of" rather than "all of" like other tags.
        const anyOf = choice === 'include' && type === 'rating';
        return (
          <FacetGroup
            key={type}
            name={anyOf ? 'rating' : choice}
            type={type}
            options={facetOptions(facets[type], [...(anyOf ? ratings : []), ...tagsOfType(chosen, type)])}
          />
        );
      })}
      <OtherTags name={choice} label={`Other tags to ${choice}`} names={typedOnly} />
    </fieldset>
  );
}

export function FilterSidebar({
  action,
  query,
  q,
  facets,
  chosen,
  clearHref,
  searchBoxOutside = false,
}: FilterSidebarProps) {
  const sorts = WORK_SORTS.filter((sort) => sort !== 'relevance' || query.text !== null);
  return (
    <form
      id={FILTER_FORM_ID}
      class="form work-filters"
      method="get"
      action={action}
      aria-labelledby="work-filters-heading"
    >
      <h2 class="heading" id="work-filters-heading">
        Sort and Filter
      </h2>
      <SelectField
        name="sort"
        label="Sort by"
        value={query.sort}
        options={sorts.map((sort) => ({ value: sort, label: SORT_LABELS[sort] }))}
      />
      <TagFilterSection
        choice="include"
        facets={facets}
        typed={query.includeTags}
        chosen={chosen.include}
        ratings={query.ratings}
      />
      <TagFilterSection choice="exclude" facets={facets} typed={query.excludeTags} chosen={chosen.exclude} />
      <fieldset class="filter-section">
        <legend>More options</legend>
        <Radios
          name="crossover"
          legend="Crossovers"
          value={query.crossovers}
          options={[
            { value: 'include', label: 'Include crossovers' },
            { value: 'exclude', label: 'Exclude crossovers' },
            { value: 'only', label: 'Only crossovers' },
          ]}
        />
        <Radios
          name="complete"
          legend="Completion status"
          value={query.completion === 'complete' ? 'true' : query.completion === 'incomplete' ? 'false' : ''}
          options={[
            { value: '', label: 'All works' },
            { value: 'true', label: 'Complete works only' },
            { value: 'false', label: 'Works in progress only' },
          ]}
        />
        <fieldset class="field range-fields">
          <legend>Word count</legend>
          <TextField
            name="words_from"
            label="From"
            type="number"
            min={0}
            inputMode="numeric"
            value={query.words.min === undefined ? '' : String(query.words.min)}
          />
          <TextField
            name="words_to"
            label="To"
            type="number"
            min={0}
            inputMode="numeric"
            value={query.words.max === undefined ? '' : String(query.words.max)}
          />
        </fieldset>
        <fieldset class="field range-fields">
          <legend>Date updated</legend>
          <DateField name="updated_from" label="From" value={query.updated.from} />
          <DateField name="updated_to" label="To" value={query.updated.to} />
        </fieldset>
        <SelectField
          name="language"
          label="Language"
          value={query.language ?? ''}
          options={[
            { value: '', label: 'Any language' },
            ...LANGUAGES.map((language) => ({ value: language.code, label: language.name })),
          ]}
        />
        {searchBoxOutside ? null : (
          <TextField
            name="q"
            label="Search within results"
            type="search"
            value={q}
            maxLength={SEARCH_TEXT_LIMITS.length}
            hint={
              <>
                Words, "phrases", -word, OR, words&gt;10000 (see <a href={paths.workSearch()}>Search works</a>
                )
              </>
            }
          />
        )}
      </fieldset>
      <div class="actions">
        <button class="button" type="submit">
          Sort and Filter
        </button>
        <a class="button secondary" href={clearHref}>
          Clear Filters
        </a>
      </div>
    </form>
  );
}
