import { paths } from '../../domain/archivePaths.ts';
import { PROFILE_LIMITS, type Profile } from '../../services/profiles.ts';
import { ErrorSummary, type FieldErrors, TextArea } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { PseudIcon } from './PseudPages.tsx';
import { ReportLink } from './ReportPages.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { formatCount, formatDate, SanitizedHtml } from './WorkParts.tsx';

export function ProfilePage({
  context,
  profile,
  subscriptionId,
}: {
  context: PageContext;
  profile: Profile;
  subscriptionId: number | null;
}) {
  const { username, counts } = profile;
  const own = context.viewer?.username === username;
  return (
    <Layout context={context} title={`${username} - Profile`}>
      <div class="pseud-header">
        <PseudIcon pseud={profile.pseuds[0]} />
        <h1 class="page-title">{username}</h1>
        <ReportLink target={{ kind: 'user', login: username }} />
      </div>
      <UserNavigation context={context} username={username} subscriptionId={subscriptionId} />
      {own ? (
        <p>
          <a class="button" href={paths.editProfile(username)}>
            Edit My Profile
          </a>
        </p>
      ) : null}
      <dl class="tag-facts">
        <dt>I joined on:</dt>
        <dd>
          <time datetime={profile.joinedAt}>{formatDate(profile.joinedAt)}</time>
        </dd>
        <dt>My pseuds:</dt>
        <dd>
          {profile.pseuds.map((pseud, index) => (
            <span key={pseud.id}>
              {index > 0 ? ', ' : ''}
              <a href={paths.pseud(username, pseud.name)}>{pseud.name}</a>
            </span>
          ))}{' '}
          (<a href={paths.pseuds(username)}>{own ? 'Manage my pseuds' : 'All pseuds'}</a>)
        </dd>
        <dt>Works:</dt>
        <dd>
          <a href={paths.userWorks(username)}>{formatCount(counts.works)}</a>
        </dd>
        <dt>Series:</dt>
        <dd>
          <a href={paths.userSeries(username)}>{formatCount(counts.series)}</a>
        </dd>
        <dt>Bookmarks:</dt>
        <dd>
          <a href={paths.userBookmarks(username)}>{formatCount(counts.bookmarks)}</a>
        </dd>
      </dl>
      <h2 class="heading">About {username}</h2>
      {profile.aboutHtml ? (
        <SanitizedHtml class="userstuff profile-about" html={profile.aboutHtml} />
      ) : (
        <p class="empty">{own ? 'You have not written anything about yourself yet.' : 'Nothing here yet.'}</p>
      )}
    </Layout>
  );
}

export function EditProfilePage({
  context,
  username,
  form,
}: {
  context: PageContext;
  username: string;
  form: { about: string; message?: string; errors?: FieldErrors };
}) {
  return (
    <Layout context={context} title="Edit My Profile">
      <h1 class="page-title">Edit My Profile</h1>
      <form class="form" method="post" action={paths.profile(username)}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={form.errors} />
        <TextArea
          name="about"
          label="About Me"
          value={form.about}
          errors={form.errors}
          rows={10}
          hint={`Plain text or HTML, up to ${formatCount(PROFILE_LIMITS.about)} characters of text. Everyone can read it.`}
        />
        <div class="actions">
          <button class="button" type="submit">
            Update
          </button>
          <a class="button secondary" href={paths.profile(username)}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
