import type { ComponentChildren } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import { languageName } from '../../domain/languages.ts';
import { bylineName, bylinePath } from '../../domain/pseudRules.ts';
import { RATING_SYMBOLS, type Rating } from '../../domain/vocabulary.ts';
import { chapterProgress } from '../../domain/workRules.ts';
import type { CreatorCredit, WorkSummary } from '../../services/workViews.ts';

// Pieces of a work shown both in listings and on the work page.

const RATING_CLASSES: Record<string, string> = {
  'General Audiences': 'rating-general',
  'Teen And Up Audiences': 'rating-teen',
  Mature: 'rating-mature',
  Explicit: 'rating-explicit',
  'Not Rated': 'rating-notrated',
};

const CATEGORY_CLASSES: Record<string, string> = {
  'F/F': 'category-femslash',
  'F/M': 'category-het',
  Gen: 'category-gen',
  'M/M': 'category-slash',
  Multi: 'category-multi',
  Other: 'category-other',
};

const CATEGORY_SYMBOLS: Record<string, string> = {
  'F/F': 'FF',
  'F/M': 'FM',
  Gen: 'Gen',
  'M/M': 'MM',
  Multi: 'M+',
  Other: '?',
};

export function formatDate(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '';
}

export function formatCount(count: number): string {
  return count.toLocaleString('en');
}

/** Imported works credit their original creators (not linked: they have no account here). */
export function Byline({ work }: { work: Pick<WorkSummary, 'creators' | 'importedCreators'> }) {
  if (work.importedCreators.length > 0) {
    return <span class="imported-creators">{work.importedCreators.join(', ')}</span>;
  }
  return <CreatorLinks creators={work.creators} />;
}

function CreatorLinks({ creators }: { creators: CreatorCredit[] }) {
  if (creators.length === 0) return <span>Anonymous</span>;
  return (
    <>
      {creators.map((creator, index) => (
        <span key={creator.username}>
          {index > 0 ? ', ' : ''}
          <a class="creator" rel="author" href={bylinePath(creator)}>
            {bylineName(creator)}
          </a>
        </span>
      ))}
    </>
  );
}

/** The symbol is for the eye; the words are there for screen readers and touch screens (no tooltips). */
function Square({ class: kind, label, children }: { class: string; label: string; children: string }) {
  return (
    <span class={`square ${kind}`} title={label}>
      <span aria-hidden="true">{children}</span>
      <span class="visually-hidden">{label}</span>
    </span>
  );
}

/** AO3's four squares: rating, warnings, category, completion, scanned before anything else. */
export function RequiredTags({ work }: { work: WorkSummary }) {
  const warningClass = work.warnings.includes('Creator Chose Not To Use Archive Warnings')
    ? 'warning-choosenot'
    : work.warnings.every((warning) => warning === 'No Archive Warnings Apply')
      ? 'warning-no'
      : 'warning-yes';
  const category = work.categories.length > 1 ? 'Multi' : work.categories[0];
  return (
    <ul class="required-tags" aria-label="Rating, warnings, category and completion">
      <li>
        <Square class={RATING_CLASSES[work.rating] ?? 'rating-notrated'} label={work.rating}>
          {RATING_SYMBOLS[work.rating as Rating] ?? 'NR'}
        </Square>
      </li>
      <li>
        <Square class={warningClass} label={work.warnings.join(', ')}>
          {warningClass === 'warning-yes' ? '!' : warningClass === 'warning-no' ? '–' : '?'}
        </Square>
      </li>
      <li>
        <span
          class={`square ${category ? CATEGORY_CLASSES[category] : 'category-none'}`}
          title={work.categories.join(', ') || 'No category'}
        >
          {category ? CATEGORY_SYMBOLS[category] : '–'}
        </span>
      </li>
      <li>
        <span
          class={`square ${work.complete ? 'complete-yes' : 'complete-no'}`}
          title={work.complete ? 'Complete Work' : 'Work in Progress'}
        >
          {work.complete ? '✓' : '…'}
        </span>
      </li>
    </ul>
  );
}

function TagItems({ names, kind }: { names: string[]; kind?: string }) {
  return (
    <>
      {names.map((name) => (
        <li key={name}>
          <a class={kind ? `tag tag-${kind}` : 'tag'} href={paths.tagWorks(name)}>
            {name}
          </a>
        </li>
      ))}
    </>
  );
}

export function TagLinks({ names, kind }: { names: string[]; kind?: string }) {
  return (
    <ul class="tags">
      <TagItems names={names} kind={kind} />
    </ul>
  );
}

export function WorkStats({ work }: { work: WorkSummary }) {
  return (
    <dl class="stats">
      {work.publishedAt ? (
        <>
          <dt>Published:</dt>
          <dd>
            <time datetime={work.publishedAt}>{formatDate(work.publishedAt)}</time>
          </dd>
        </>
      ) : null}
      {work.publishedAt && work.updatedAt.slice(0, 10) !== work.publishedAt.slice(0, 10) ? (
        <>
          <dt>{work.complete ? 'Completed:' : 'Updated:'}</dt>
          <dd>
            <time datetime={work.updatedAt}>{formatDate(work.updatedAt)}</time>
          </dd>
        </>
      ) : null}
      <dt>Language:</dt>
      <dd lang={work.language}>{languageName(work.language)}</dd>
      <dt>Words:</dt>
      <dd>{formatCount(work.wordCount)}</dd>
      <dt>Chapters:</dt>
      <dd>{chapterProgress(work.chapterCount, work.expectedChapters)}</dd>
      <dt>Comments:</dt>
      <dd>{formatCount(work.commentsCount)}</dd>
      <dt>Kudos:</dt>
      <dd>{formatCount(work.kudosCount)}</dd>
      <dt>Bookmarks:</dt>
      <dd>
        {work.bookmarksCount > 0 ? (
          <a href={paths.workBookmarks(work.id)}>{formatCount(work.bookmarksCount)}</a>
        ) : (
          formatCount(work.bookmarksCount)
        )}
      </dd>
      <dt>Hits:</dt>
      <dd>{formatCount(work.hits)}</dd>
    </dl>
  );
}

/** Sanitised on write (domain/htmlPolicy), so it is the one kind of HTML a view may print. */
export function SanitizedHtml({
  html,
  class: className,
  as = 'div',
}: {
  html: string;
  class?: string;
  as?: 'div' | 'blockquote';
}) {
  const Tag = as;
  return <Tag class={className} dangerouslySetInnerHTML={{ __html: html }} />;
}

/** A work in a listing; `children` add what that listing knows of it (a reader's history, a bookmark). */
export function WorkBlurb({ work, children }: { work: WorkSummary; children?: ComponentChildren }) {
  return (
    <li class="blurb" id={`work_${work.id}`}>
      <div class="blurb-header">
        <RequiredTags work={work} />
        <h3 class="blurb-title">
          <a href={paths.work(work.id)}>{work.title}</a> by <Byline work={work} />
          {work.restricted ? <span class="muted"> (registered users only)</span> : null}
          {work.draft ? <span class="muted"> (draft)</span> : null}
        </h3>
        <p class="fandoms">
          {work.fandoms.map((fandom, index) => (
            <span key={fandom}>
              {index > 0 ? ', ' : ''}
              <a class="tag" href={paths.tagWorks(fandom)}>
                {fandom}
              </a>
            </span>
          ))}
        </p>
        <p class="datetime">{formatDate(work.updatedAt)}</p>
      </div>
      <ul class="tags">
        <TagItems names={work.warnings} kind="warning" />
        <TagItems names={work.relationships} kind="relationship" />
        <TagItems names={work.characters} kind="character" />
        <TagItems names={work.freeforms} kind="freeform" />
      </ul>
      {work.summary ? <SanitizedHtml as="blockquote" class="summary" html={work.summary} /> : null}
      <WorkStats work={work} />
      {children}
    </li>
  );
}

export function Pagination({ page, pages, basePath }: { page: number; pages: number; basePath: string }) {
  if (pages <= 1) return null;
  const href = (target: number) => `${basePath}${basePath.includes('?') ? '&' : '?'}page=${target}`;
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])]
    .filter((target) => target >= 1 && target <= pages)
    .sort((a, b) => a - b);
  return (
    <nav class="pagination" aria-label="Pages">
      <ol>
        {page > 1 ? (
          <li>
            <a rel="prev" href={href(page - 1)}>
              ← Previous
            </a>
          </li>
        ) : null}
        {shown.map((target, index) => (
          <li key={target}>
            {index > 0 && target - shown[index - 1] > 1 ? <span class="gap">…</span> : null}
            {target === page ? (
              <span class="current" aria-current="page">
                {target}
              </span>
            ) : (
              <a href={href(target)}>{target}</a>
            )}
          </li>
        ))}
        {page < pages ? (
          <li>
            <a rel="next" href={href(page + 1)}>
              Next →
            </a>
          </li>
        ) : null}
      </ol>
    </nav>
  );
}
