import type { ComponentChildren } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import { LIMITS } from '../../domain/workRules.ts';
import type { ReaderActionsState } from '../../services/readerActions.ts';
import type { SeriesDetail, SeriesPart } from '../../services/series.ts';
import type { SeriesChoice, SeriesForEditing, SeriesSummary } from '../../services/seriesEditing.ts';
import type { WorkDetail } from '../../services/works.ts';
import { Checkbox, ErrorSummary, type FieldErrors, SelectField, TextArea, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { BookmarkButton, SubscribeButton } from './ReaderActions.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { formatCount, formatDate, SanitizedHtml, WorkBlurb } from './WorkParts.tsx';

/** The work form's "Add to series": one of the creator's series, or a new one by title (as on AO3). */
export function SeriesChoiceFields({
  choices,
  values,
  errors,
  work,
}: {
  choices: SeriesChoice[];
  values: Record<string, string>;
  errors?: FieldErrors;
  work?: WorkDetail;
}) {
  return (
    <fieldset>
      <legend>Series</legend>
      {work && work.series.length > 0 ? (
        <p class="hint">
          This work is{' '}
          {work.series.map((part, index) => (
            <span key={part.id}>
              {index > 0 ? ', ' : ''}
              Part {part.position} of <a href={paths.series(part.id)}>{part.title}</a>
            </span>
          ))}
          . Reorder or remove parts on the series’ page.
        </p>
      ) : null}
      {choices.length > 0 ? (
        <SelectField
          name="series_id"
          label="Add to one of your series"
          value={values.series_id ?? ''}
          errors={errors}
          options={[
            { value: '', label: '(none)' },
            ...choices.map((choice) => ({ value: String(choice.id), label: choice.title })),
          ]}
        />
      ) : null}
      <TextField
        name="series_title"
        label={choices.length > 0 ? 'Or start a new series titled' : 'Add to a new series titled'}
        value={values.series_title}
        errors={errors}
        maxLength={LIMITS.title}
        hint="Optional. The work becomes the series’ next part."
      />
    </fieldset>
  );
}

/** "Part 2 of Series" with the neighbouring parts, so a reader finishing one work can go on to the next. */
export function SeriesNavigation({ series }: { series: SeriesPart[] }) {
  if (series.length === 0) return null;
  return (
    <nav class="series-nav" aria-label="Series">
      {series.map((part) => (
        <ul key={part.id}>
          {part.previous ? (
            <li>
              <a class="button secondary" rel="prev" href={paths.work(part.previous.id)}>
                ← Previous Work
              </a>
            </li>
          ) : null}
          <li class="series-position">
            Part {part.position} of <a href={paths.series(part.id)}>{part.title}</a>
          </li>
          {part.next ? (
            <li>
              <a class="button secondary" rel="next" href={paths.work(part.next.id)}>
                Next Work →
              </a>
            </li>
          ) : null}
        </ul>
      ))}
    </nav>
  );
}

/** A series in a listing; `children` add what that listing knows of it (a bookmark). */
export function SeriesBlurb({ series, children }: { series: SeriesSummary; children?: ComponentChildren }) {
  return (
    <li class="blurb series-blurb" id={`series_${series.id}`}>
      <div class="blurb-header">
        <h3 class="blurb-title">
          <a href={paths.series(series.id)}>{series.title}</a> by{' '}
          <a class="creator" rel="author" href={paths.userWorks(series.owner)}>
            {series.owner}
          </a>
        </h3>
        <p class="datetime">{formatDate(series.updatedAt)}</p>
      </div>
      {series.summary ? <SanitizedHtml as="blockquote" class="summary" html={series.summary} /> : null}
      <dl class="stats">
        <dt>Words:</dt>
        <dd>{formatCount(series.wordCount)}</dd>
        <dt>Works:</dt>
        <dd>{formatCount(series.workCount)}</dd>
        <dt>Complete:</dt>
        <dd>{series.complete ? 'Yes' : 'No'}</dd>
      </dl>
      {children}
    </li>
  );
}

export function SeriesPage({
  context,
  series,
  actions,
}: {
  context: PageContext;
  series: SeriesDetail;
  actions: ReaderActionsState;
}) {
  const own = context.viewer?.username === series.owner;
  const words = series.works.reduce((total, work) => total + work.wordCount, 0);
  return (
    <Layout context={context} title={series.title}>
      <h1 class="page-title">{series.title}</h1>
      <ul class="work-actions" aria-label="Series actions">
        {own ? (
          <li>
            <a class="button" href={paths.editSeries(series.id)}>
              Edit Series
            </a>
          </li>
        ) : null}
        {own ? (
          <li>
            <a class="button" href={paths.orphanSeries(series.id)}>
              Orphan Series
            </a>
          </li>
        ) : null}
        {context.viewer ? (
          <li>
            <BookmarkButton target={{ seriesId: series.id }} bookmarkId={actions.bookmarkId} />
          </li>
        ) : null}
        {context.viewer && !own ? (
          <li>
            <SubscribeButton
              context={context}
              target={{ kind: 'series', id: series.id }}
              subscriptionId={actions.subscriptionId}
            />
          </li>
        ) : null}
        {series.works.length > 0 ? (
          <li>
            <a class="button secondary" href={paths.seriesDownload(series.id, series.title)} download>
              Download EPUB
            </a>
          </li>
        ) : null}
      </ul>
      <div class="work-meta series-meta">
        <dl class="work-meta-list">
          <dt>Creator:</dt>
          <dd>
            <a class="creator" rel="author" href={paths.userWorks(series.owner)}>
              {series.owner}
            </a>
          </dd>
          <dt>Series Updated:</dt>
          <dd>
            <time datetime={series.updatedAt}>{formatDate(series.updatedAt)}</time>
          </dd>
          {series.summary ? (
            <>
              <dt>Description:</dt>
              <dd>
                <SanitizedHtml as="blockquote" class="userstuff" html={series.summary} />
              </dd>
            </>
          ) : null}
          {series.notes ? (
            <>
              <dt>Notes:</dt>
              <dd>
                <SanitizedHtml as="blockquote" class="userstuff" html={series.notes} />
              </dd>
            </>
          ) : null}
          <dt>Stats:</dt>
          <dd>
            <dl class="stats">
              <dt>Words:</dt>
              <dd>{formatCount(words)}</dd>
              <dt>Works:</dt>
              <dd>{formatCount(series.works.length)}</dd>
              <dt>Complete:</dt>
              <dd>{series.complete ? 'Yes' : 'No'}</dd>
            </dl>
          </dd>
        </dl>
      </div>
      {series.works.length === 0 ? (
        <p class="empty">This series has no works you can see yet.</p>
      ) : (
        <ol class="work-list">
          {series.works.map((work) => (
            <WorkBlurb key={work.id} work={work}>
              <p class="series-part-label">
                Part {work.position} of {series.title}
              </p>
            </WorkBlurb>
          ))}
        </ol>
      )}
    </Layout>
  );
}

export interface SeriesFormState {
  values: Record<string, string>;
  /** Work ids ticked for removal. */
  remove: number[];
  message?: string;
  errors?: FieldErrors;
}

export function seriesFormState(series: SeriesForEditing): SeriesFormState {
  const values: Record<string, string> = {
    title: series.title,
    summary: series.summary,
    notes: series.notes,
    complete: series.complete ? 'on' : '',
  };
  for (const part of series.parts) values[`position_${part.workId}`] = String(part.position);
  return { values, remove: [] };
}

export function SeriesEditPage({
  context,
  series,
  form,
}: {
  context: PageContext;
  series: SeriesForEditing;
  form: SeriesFormState;
}) {
  const { values, errors } = form;
  const title = `Edit series “${series.title}”`;
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <form class="form" method="post" action={paths.editSeries(series.id)}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={errors} />
        <fieldset>
          <legend>Series</legend>
          <TextField
            name="title"
            label="Series title"
            value={values.title}
            errors={errors}
            required
            maxLength={LIMITS.title}
          />
          <TextArea
            name="summary"
            label="Description"
            value={values.summary}
            errors={errors}
            rows={4}
            hint={`Up to ${LIMITS.summary.toLocaleString('en')} characters; HTML allowed.`}
          />
          <TextArea name="notes" label="Notes" value={values.notes} errors={errors} rows={3} />
          <Checkbox name="complete" label="This series is complete" checked={values.complete === 'on'} />
        </fieldset>
        <fieldset class={errors?.parts ? 'field has-error' : undefined}>
          <legend>Parts</legend>
          {series.parts.length === 0 ? (
            <p class="empty">This series has no parts. Add works to it from their edit page.</p>
          ) : (
            <>
              <p class="hint">
                Give each part its place (1 is first), or tick it to take it out of the series.
              </p>
              {errors?.parts ? <p class="field-error">{errors.parts}</p> : null}
              <ol class="manage-chapters">
                {series.parts.map((part) => (
                  <li key={part.workId}>
                    <label for={`position-${part.workId}`}>
                      {part.title}
                      {part.draft ? ' (draft)' : ''}
                    </label>
                    <input
                      id={`position-${part.workId}`}
                      type="number"
                      name={`position_${part.workId}`}
                      value={values[`position_${part.workId}`] ?? String(part.position)}
                      min={1}
                      required
                    />
                    <label class="choice">
                      <input
                        type="checkbox"
                        name="remove"
                        value={String(part.workId)}
                        checked={form.remove.includes(part.workId)}
                      />{' '}
                      Remove
                    </label>
                  </li>
                ))}
              </ol>
            </>
          )}
        </fieldset>
        <div class="actions">
          <button class="button" type="submit">
            Update series
          </button>
          <a class="button secondary" href={paths.series(series.id)}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function UserSeriesPage({
  context,
  username,
  series,
  subscriptionId,
}: {
  context: PageContext;
  username: string;
  series: SeriesSummary[];
  subscriptionId: number | null;
}) {
  const own = context.viewer?.username === username;
  return (
    <Layout context={context} title={`${username}'s series`}>
      <h1 class="page-title">
        {series.length} Series by {username}
      </h1>
      <UserNavigation context={context} username={username} subscriptionId={subscriptionId} />
      {series.length === 0 ? (
        <p class="empty">
          {own
            ? 'You have no series yet. Start one from the form of any of your works.'
            : `${username} has no series yet.`}
        </p>
      ) : (
        <ol class="work-list">
          {series.map((entry) => (
            <SeriesBlurb key={entry.id} series={entry} />
          ))}
        </ol>
      )}
    </Layout>
  );
}
