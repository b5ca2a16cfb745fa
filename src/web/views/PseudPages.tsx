import { paths } from '../../domain/archivePaths.ts';
import { PSEUD_LIMITS } from '../../domain/pseudRules.ts';
import { ICON_LIMITS } from '../../services/pseudIcons.ts';
import type { Pseud } from '../../services/pseuds.ts';
import type { WorkListing } from '../../services/works.ts';
import { ErrorSummary, type FieldErrors, SelectField, TextArea, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatCount, Pagination, SanitizedHtml, WorkBlurb } from './WorkParts.tsx';

// A user's pseuds, as on AO3: the list at /users/LOGIN/pseuds, each pseud's page with its works, and the
// forms to add, change, give an icon to and delete one.

/** A pseud's icon with its alt text (empty alt text when the owner gave none: then it is decoration). */
export function PseudIcon({ pseud }: { pseud: Pick<Pseud, 'id' | 'iconHash' | 'iconAltText'> }) {
  if (!pseud.iconHash) return null;
  return (
    <img
      class="pseud-icon"
      src={paths.pseudIcon(pseud.id, pseud.iconHash)}
      alt={pseud.iconAltText}
      width={ICON_LIMITS.size}
      height={ICON_LIMITS.size}
    />
  );
}

export function PseudListPage({
  context,
  username,
  pseuds,
}: {
  context: PageContext;
  username: string;
  pseuds: Pseud[];
}) {
  const own = context.viewer?.username === username;
  return (
    <Layout context={context} title={`${username} - Pseuds`}>
      <h1 class="page-title">{own ? 'My Pseuds' : `${username}’s Pseuds`}</h1>
      {own ? (
        <p>
          <a class="button" href={paths.newPseud(username)}>
            New Pseud
          </a>
        </p>
      ) : null}
      <ul class="pseud-list">
        {pseuds.map((pseud) => (
          <li key={pseud.id} class="pseud">
            <PseudIcon pseud={pseud} />
            <a href={paths.pseud(username, pseud.name)}>{pseud.name}</a>
            {pseud.isDefault ? <span class="muted"> (default)</span> : null}
            {own ? (
              <>
                {' '}
                <a href={paths.editPseud(username, pseud.name)}>Edit</a>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function PseudPage({
  context,
  pseud,
  listing,
  basePath,
}: {
  context: PageContext;
  pseud: Pseud;
  listing: WorkListing;
  basePath: string;
}) {
  const own = context.viewer?.id === pseud.userId;
  const title = pseud.name === pseud.username ? pseud.name : `${pseud.name} (${pseud.username})`;
  return (
    <Layout context={context} title={`${title} - Pseud`}>
      <div class="pseud-header">
        <PseudIcon pseud={pseud} />
        <h1 class="page-title">{title}</h1>
      </div>
      <p>
        <a href={paths.pseuds(pseud.username)}>All of {pseud.username}’s pseuds</a> ·{' '}
        <a href={paths.profile(pseud.username)}>Profile</a>
        {own ? (
          <>
            {' '}
            · <a href={paths.editPseud(pseud.username, pseud.name)}>Edit Pseud</a>
          </>
        ) : null}
      </p>
      {pseud.description ? (
        <SanitizedHtml class="userstuff pseud-description" html={pseud.description} />
      ) : null}
      <h2 class="heading">
        {formatCount(listing.total)} {listing.total === 1 ? 'Work' : 'Works'} by {pseud.name}
      </h2>
      {listing.works.length === 0 ? (
        <p class="empty">No works under this pseud yet.</p>
      ) : (
        <ol class="work-list">
          {listing.works.map((work) => (
            <WorkBlurb key={work.id} work={work} />
          ))}
        </ol>
      )}
      <Pagination page={listing.page} pages={listing.pages} basePath={basePath} />
    </Layout>
  );
}

export interface PseudForm {
  name: string;
  description: string;
  icon_alt_text: string;
  message?: string;
  errors?: FieldErrors;
}

/** The form to add a pseud (no `pseud`) or change one, with its icon and delete forms below. */
export function PseudFormPage({
  context,
  username,
  pseud,
  form,
}: {
  context: PageContext;
  username: string;
  pseud?: Pseud;
  form: PseudForm;
}) {
  const heading = pseud ? `Edit Pseud: ${pseud.name}` : 'New Pseud';
  return (
    <Layout context={context} title={heading}>
      <h1 class="page-title">{heading}</h1>
      <form
        class="form"
        method="post"
        action={pseud ? paths.pseud(username, pseud.name) : paths.pseuds(username)}
      >
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={form.errors} />
        <TextField
          name="name"
          label="Name"
          value={form.name}
          errors={form.errors}
          required
          maxLength={PSEUD_LIMITS.name}
          hint="Letters, digits, spaces, underscores and hyphens."
        />
        <TextArea
          name="description"
          label="Description"
          value={form.description}
          errors={form.errors}
          rows={5}
          hint={`Plain text or HTML, up to ${PSEUD_LIMITS.description} characters of text.`}
        />
        <TextField
          name="icon_alt_text"
          label="Icon alt text"
          value={form.icon_alt_text}
          errors={form.errors}
          maxLength={PSEUD_LIMITS.iconAltText}
          hint="What the icon shows, for readers who cannot see it."
        />
        {pseud && !pseud.isDefault ? (
          <div class="field">
            <label>
              <input type="checkbox" name="default" value="on" /> Make this my default pseud
            </label>
          </div>
        ) : null}
        <div class="actions">
          <button class="button" type="submit">
            {pseud ? 'Update' : 'Create'}
          </button>
          <a class="button secondary" href={paths.pseuds(username)}>
            Cancel
          </a>
        </div>
      </form>
      {pseud ? <IconForms context={context} username={username} pseud={pseud} errors={form.errors} /> : null}
      {pseud && !pseud.isDefault ? (
        <form class="form" method="post" action={paths.deletePseud(username, pseud.name)}>
          <CsrfField context={context} />
          <h2 class="heading">Delete this pseud</h2>
          <p>Its works, comments and bookmarks will be credited to your default pseud instead.</p>
          <button class="button danger" type="submit">
            Delete {pseud.name}
          </button>
        </form>
      ) : null}
    </Layout>
  );
}

function IconForms({
  context,
  username,
  pseud,
  errors,
}: {
  context: PageContext;
  username: string;
  pseud: Pseud;
  errors?: FieldErrors;
}) {
  return (
    <>
      <form
        class="form"
        method="post"
        action={paths.uploadPseudIcon(username, pseud.name)}
        enctype="multipart/form-data"
      >
        <CsrfField context={context} />
        <h2 class="heading">Icon</h2>
        <PseudIcon pseud={pseud} />
        <div class={errors?.icon ? 'field has-error' : 'field'}>
          <label for="field-icon">Upload an icon</label>
          <input id="field-icon" type="file" name="icon" accept="image/png,image/jpeg,image/gif,image/webp" />
          <p class="hint">
            A PNG, JPEG, GIF or WebP of up to {ICON_LIMITS.maxFileBytes / 1024} KB. It is cropped to a{' '}
            {ICON_LIMITS.size}×{ICON_LIMITS.size} square, and anything stored in the file besides the picture
            (camera, place, names) is dropped.
          </p>
          {errors?.icon ? <p class="field-error">{errors.icon}</p> : null}
        </div>
        <button class="button" type="submit">
          Upload Icon
        </button>
      </form>
      {pseud.iconHash ? (
        <form class="form" method="post" action={paths.deletePseudIcon(username, pseud.name)}>
          <CsrfField context={context} />
          <button class="button secondary" type="submit">
            Remove Icon
          </button>
        </form>
      ) : null}
    </>
  );
}

/**
 * Which pseud a work, comment or bookmark is credited to: shown only to a member with more than one,
 * their default (the first choice) chosen unless the form says otherwise.
 */
export function PseudSelect({
  choices,
  value,
  errors,
  label = 'Creator/Pseud',
}: {
  choices: string[];
  value?: string;
  errors?: FieldErrors;
  label?: string;
}) {
  if (choices.length < 2) return null;
  return (
    <SelectField name="pseud" label={label} value={value || choices[0]} options={choices} errors={errors} />
  );
}
