import { paths } from '../../domain/archivePaths.ts';
import { COMMENT_POLICIES, COMMENT_POLICY_LABELS } from '../../domain/commentRules.ts';
import { LANGUAGES } from '../../domain/languages.ts';
import { ARCHIVE_WARNINGS, CATEGORIES, RATINGS } from '../../domain/vocabulary.ts';
import { LIMITS } from '../../domain/workRules.ts';
import type { ChapterContent } from '../../services/chapters.ts';
import type { SeriesChoice } from '../../services/seriesEditing.ts';
import type { WorkDetail } from '../../services/works.ts';
import type { FormState } from './AccountPages.tsx';
import { InviteCoCreatorsField } from './CreatorshipPages.tsx';
import {
  Checkbox,
  Choices,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  TextArea,
  TextField,
} from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { PseudSelect } from './PseudPages.tsx';
import { SeriesChoiceFields } from './SeriesPages.tsx';
import { chapterHeading } from './WorkPage.tsx';

/** What a work form shows: the stored work turned back into fields, or what the creator just typed. */
export interface WorkFormState {
  values: Record<string, string>;
  lists: { warnings: string[]; categories: string[] };
  message?: string;
  errors?: FieldErrors;
}

export function workFormState(work: WorkDetail): WorkFormState {
  return {
    values: {
      title: work.title,
      summary: work.summary,
      notes: work.notes,
      end_notes: work.endNotes,
      rating: work.rating,
      fandoms: work.fandoms.join(', '),
      relationships: work.relationships.join(', '),
      characters: work.characters.join(', '),
      freeforms: work.freeforms.join(', '),
      language: work.language,
      expected_chapters: work.expectedChapters === null ? '' : String(work.expectedChapters),
      complete: work.complete ? 'on' : '',
      restricted: work.restricted ? 'on' : '',
      comment_policy: work.commentPolicy,
      moderate_comments: work.moderateComments ? 'on' : '',
    },
    lists: { warnings: work.warnings, categories: work.categories },
  };
}

const TAG_HINT = 'Separate tags with commas.';

function ChapterFields({
  values,
  errors,
  prefix,
}: {
  values: Record<string, string>;
  errors?: FieldErrors;
  prefix: string;
}) {
  return (
    <>
      <TextField
        name={`${prefix}title`}
        label="Chapter title"
        value={values[`${prefix}title`]}
        errors={errors}
        maxLength={LIMITS.chapterTitle}
        hint="Optional."
      />
      <SelectField
        name={`${prefix}format`}
        label="Text format"
        value={values[`${prefix}format`] || 'html'}
        errors={errors}
        options={[
          { value: 'html', label: 'HTML (rich text: <p>, <em>, <strong>…)' },
          { value: 'markdown', label: 'Markdown (*emphasis*, **strong**, blank lines between paragraphs)' },
        ]}
      />
      <TextArea
        name={`${prefix}body`}
        label="Chapter text"
        value={values[`${prefix}body`]}
        errors={errors}
        rows={20}
        required
        hint={`Up to ${LIMITS.chapterBody.toLocaleString('en')} characters. Scripts, styles and unsafe links are removed.`}
      />
      <TextArea
        name={`${prefix}notes`}
        label="Chapter notes"
        value={values[`${prefix}notes`]}
        errors={errors}
        rows={3}
        hint="Optional; shown before the chapter."
      />
      <TextArea
        name={`${prefix}end_notes`}
        label="Chapter end notes"
        value={values[`${prefix}end_notes`]}
        errors={errors}
        rows={3}
        hint="Optional; shown after the chapter."
      />
    </>
  );
}

export function WorkFormPage({
  context,
  form,
  work,
  seriesChoices = [],
  pseudChoices = [],
}: {
  context: PageContext;
  form: WorkFormState;
  work?: WorkDetail;
  /** The creator's own series, offered under "Add to series". */
  seriesChoices?: SeriesChoice[];
  /** The creator's pseuds, the default first: the work is credited to one of them. */
  pseudChoices?: string[];
}) {
  const { values, errors } = form;
  const editing = work !== undefined;
  const title = editing ? `Edit “${work.title}”` : 'Post new work';
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <form class="form" method="post" action={editing ? paths.work(work.id) : paths.works()}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={errors} />
        <PseudSelect choices={pseudChoices} value={values.pseud} errors={errors} />
        <fieldset>
          <legend>Tags</legend>
          <SelectField
            name="rating"
            label="Rating"
            value={values.rating || 'Not Rated'}
            errors={errors}
            options={RATINGS}
            required
          />
          <Choices
            name="warnings"
            legend="Archive Warnings"
            options={ARCHIVE_WARNINGS}
            checked={form.lists.warnings}
            errors={errors}
          />
          <Choices
            name="categories"
            legend="Categories"
            options={CATEGORIES}
            checked={form.lists.categories}
            errors={errors}
          />
          <TextField
            name="fandoms"
            tagAutocomplete="fandom"
            label="Fandoms"
            value={values.fandoms}
            errors={errors}
            required
            hint={TAG_HINT}
          />
          <TextField
            name="relationships"
            tagAutocomplete="relationship"
            label="Relationships"
            value={values.relationships}
            errors={errors}
            hint="A/B for romantic, A & B for platonic. Separate with commas."
          />
          <TextField
            name="characters"
            tagAutocomplete="character"
            label="Characters"
            value={values.characters}
            errors={errors}
            hint={TAG_HINT}
          />
          <TextField
            name="freeforms"
            tagAutocomplete="freeform"
            label="Additional Tags"
            value={values.freeforms}
            errors={errors}
            hint={TAG_HINT}
          />
        </fieldset>
        <fieldset>
          <legend>Preface</legend>
          <TextField
            name="title"
            label="Work title"
            value={values.title}
            errors={errors}
            required
            maxLength={LIMITS.title}
          />
          <TextArea
            name="summary"
            label="Summary"
            value={values.summary}
            errors={errors}
            rows={4}
            hint={`Up to ${LIMITS.summary.toLocaleString('en')} characters; HTML allowed.`}
          />
          <TextArea
            name="notes"
            label="Notes"
            value={values.notes}
            errors={errors}
            rows={3}
            hint="Shown at the beginning of the work."
          />
          <TextArea
            name="end_notes"
            label="End notes"
            value={values.end_notes}
            errors={errors}
            rows={3}
            hint="Shown at the end of the work."
          />
        </fieldset>
        <SeriesChoiceFields choices={seriesChoices} values={values} errors={errors} work={work} />
        {editing ? (
          <fieldset>
            <legend>Co-creators</legend>
            <InviteCoCreatorsField value={values.co_creators} errors={errors} />
            <p class="hint">
              <a href={paths.workCreatorships(work.id)}>Creators and pending invitations</a>
            </p>
          </fieldset>
        ) : null}
        <fieldset>
          <legend>Details</legend>
          <SelectField
            name="language"
            label="Language"
            value={values.language || 'en'}
            errors={errors}
            options={LANGUAGES.map((language) => ({ value: language.code, label: language.name }))}
          />
          <TextField
            name="expected_chapters"
            label="Expected number of chapters"
            value={values.expected_chapters}
            errors={errors}
            inputMode="numeric"
            hint="Leave empty if you don't know yet (shown as “?”)."
          />
          <Checkbox name="complete" label="This work is complete" checked={values.complete === 'on'} />
        </fieldset>
        <fieldset>
          <legend>Privacy and comments</legend>
          <Checkbox
            name="restricted"
            label="Only show this work to registered users"
            checked={values.restricted === 'on'}
            hint="Guests will be asked to log in."
          />
          <SelectField
            name="comment_policy"
            label="Who can comment"
            value={values.comment_policy || 'open'}
            errors={errors}
            options={COMMENT_POLICIES.map((policy) => ({
              value: policy,
              label: COMMENT_POLICY_LABELS[policy],
            }))}
          />
          <Checkbox
            name="moderate_comments"
            label="Hold new comments until I approve them"
            checked={values.moderate_comments === 'on'}
            hint="Until then only you, your co-creators and the commenter can see them."
          />
        </fieldset>
        {editing ? null : (
          <fieldset>
            <legend>Work text</legend>
            <ChapterFields values={values} errors={errors} prefix="chapter_" />
          </fieldset>
        )}
        <div class="actions">
          {!editing || work.draft ? (
            <>
              <button class="button" type="submit" name="action" value="post">
                Post
              </button>
              <button class="button secondary" type="submit" name="action" value="draft">
                {editing ? 'Save draft' : 'Save as draft'}
              </button>
            </>
          ) : (
            <button class="button" type="submit" name="action" value="post">
              Update
            </button>
          )}
        </div>
      </form>
    </Layout>
  );
}

export function ChapterFormPage({
  context,
  work,
  form,
  chapter,
}: {
  context: PageContext;
  work: WorkDetail;
  form: FormState;
  chapter?: ChapterContent;
}) {
  const title = chapter
    ? `Edit ${chapterHeading(chapter)} of “${work.title}”`
    : `New chapter for “${work.title}”`;
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <form
        class="form"
        method="post"
        action={chapter ? paths.chapter(work.id, chapter.id) : paths.chapters(work.id)}
      >
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={form.errors} />
        <ChapterFields values={form.values} errors={form.errors} prefix="" />
        <div class="actions">
          <button class="button" type="submit">
            {chapter ? 'Update chapter' : 'Post chapter'}
          </button>
          <a
            class="button secondary"
            href={chapter ? paths.chapter(work.id, chapter.id) : paths.work(work.id)}
          >
            Cancel
          </a>
        </div>
      </form>
      {chapter && work.chapterCount > 1 ? (
        <p>
          <a href={paths.deleteChapter(work.id, chapter.id)}>Delete this chapter</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** A page that asks once more before something is deleted for good. */
export function ConfirmDeletePage({
  context,
  title,
  question,
  action,
  cancel,
}: {
  context: PageContext;
  title: string;
  question: string;
  action: string;
  cancel: string;
}) {
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <form class="form" method="post" action={action}>
        <CsrfField context={context} />
        <p>{question}</p>
        <div class="actions">
          <button class="button danger" type="submit">
            Yes, delete
          </button>
          <a class="button secondary" href={cancel}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function ManageChaptersPage({
  context,
  work,
  errors,
}: {
  context: PageContext;
  work: WorkDetail;
  errors?: FieldErrors;
}) {
  return (
    <Layout context={context} title={`Reorder chapters of “${work.title}”`}>
      <h1 class="page-title">Reorder chapters of “{work.title}”</h1>
      <form class="form" method="post" action={paths.manageChapters(work.id)}>
        <CsrfField context={context} />
        <ErrorSummary message={errors ? 'Give every chapter its own place.' : undefined} fields={errors} />
        <p class="hint">Give each chapter its new place (1 is first), then save.</p>
        <ol class="manage-chapters">
          {work.chapters.map((chapter) => (
            <li key={chapter.id}>
              <label for={`position-${chapter.id}`}>{chapterHeading(chapter)}</label>
              <input
                id={`position-${chapter.id}`}
                type="number"
                name={`position_${chapter.id}`}
                value={String(chapter.position)}
                min={1}
                max={work.chapterCount}
                required
              />
            </li>
          ))}
        </ol>
        <div class="actions">
          <button class="button" type="submit">
            Save order
          </button>
          <a class="button secondary" href={paths.work(work.id)}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
