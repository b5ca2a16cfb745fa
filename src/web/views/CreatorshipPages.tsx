import { paths } from '../../domain/archivePaths.ts';
import type { PendingInvitation, WorkCreatorships } from '../../services/creatorships.ts';
import { ErrorSummary, type FieldErrors, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { formatDate } from './WorkParts.tsx';

// Co-creators, as on AO3: the invitee's "Co-Creator Requests" page, a work's creators with the
// invitations still pending, and the confirmation before leaving a work.

export const INVITE_HINT =
  'Pseuds or usernames, separated by commas; write “Name (username)” where several members share a pseud. ' +
  'Each is asked first, and joins the byline only when they accept.';

/** The work form's and the creators page's "Invite co-creators" field. */
export function InviteCoCreatorsField({ value, errors }: { value?: string; errors?: FieldErrors }) {
  return (
    <TextField
      name="co_creators"
      label="Invite co-creators"
      value={value}
      errors={errors}
      hint={INVITE_HINT}
    />
  );
}

function Sent({ invitation }: { invitation: PendingInvitation }) {
  return (
    <span class="muted">
      (invited{invitation.invitedBy ? ` by ${invitation.invitedBy}` : ''} on{' '}
      <time datetime={invitation.createdAt}>{formatDate(invitation.createdAt)}</time>)
    </span>
  );
}

export function CreatorshipRequestsPage({
  context,
  username,
  invitations,
}: {
  context: PageContext;
  username: string;
  invitations: PendingInvitation[];
}) {
  const title = 'Co-Creator Requests';
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <UserNavigation context={context} username={username} subscriptionId={null} />
      <p>
        Creators who would like one of your pseuds in the byline of their work. Accepting makes you a creator:
        you can edit the work and its chapters, see its stats and hear of its comments. You can leave it
        later.
      </p>
      {invitations.length === 0 ? (
        <p class="empty">You have no co-creator requests.</p>
      ) : (
        <ul class="creatorship-requests">
          {invitations.map((invitation) => (
            <li key={invitation.id}>
              <strong>{invitation.workTitle}</strong> as <strong>{invitation.pseud}</strong>{' '}
              <Sent invitation={invitation} />
              <form class="inline" method="post" action={paths.userCreatorships(username)}>
                <CsrfField context={context} />
                <input type="hidden" name="creatorship_id" value={String(invitation.id)} />
                <button class="button" type="submit" name="action" value="accept">
                  Accept
                </button>{' '}
                <button class="button secondary" type="submit" name="action" value="decline">
                  Decline
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function WorkCreatorshipsPage({
  context,
  work,
  form,
}: {
  context: PageContext;
  work: WorkCreatorships;
  form?: { value: string; message?: string; errors?: FieldErrors };
}) {
  const title = `Creators of “${work.title}”`;
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <ul class="work-creators">
        {work.creators.map((creator) => (
          <li key={`${creator.username}/${creator.pseud}`}>
            <a href={paths.userWorks(creator.username)}>
              {creator.pseud === creator.username ? creator.pseud : `${creator.pseud} (${creator.username})`}
            </a>
          </li>
        ))}
      </ul>
      <h2>Waiting for an answer</h2>
      {work.pending.length === 0 ? (
        <p class="empty">No invitations are waiting.</p>
      ) : (
        <ul class="pending-creatorships">
          {work.pending.map((invitation) => (
            <li key={invitation.id}>
              {invitation.pseud === invitation.username
                ? invitation.pseud
                : `${invitation.pseud} (${invitation.username})`}{' '}
              <Sent invitation={invitation} />
              <form
                class="inline"
                method="post"
                action={paths.withdrawCreatorship(work.workId, invitation.id)}
              >
                <CsrfField context={context} />
                <button type="submit">Withdraw</button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form class="form" method="post" action={paths.workCreatorships(work.workId)}>
        <CsrfField context={context} />
        <ErrorSummary message={form?.message} fields={form?.errors} />
        <InviteCoCreatorsField value={form?.value} errors={form?.errors} />
        <div class="actions">
          <button class="button" type="submit">
            Invite
          </button>
        </div>
      </form>
      <p>
        <a href={paths.leaveWork(work.workId)}>Remove me as a co-creator</a>
        {' · '}
        <a href={paths.work(work.workId)}>Back to the work</a>
      </p>
    </Layout>
  );
}

export function LeaveWorkPage({
  context,
  workId,
  title,
  message,
}: {
  context: PageContext;
  workId: number;
  title: string;
  /** Why leaving was refused (the last creator), shown instead of the question. */
  message?: string;
}) {
  const heading = `Leave “${title}”?`;
  return (
    <Layout context={context} title={heading}>
      <h1 class="page-title">{heading}</h1>
      {message ? (
        <>
          <div class="notice error" role="alert">
            <p>{message}</p>
          </div>
          <p>
            <a class="button" href={`/orphans/new?work_id=${workId}`}>
              Orphan it
            </a>{' '}
            <a class="button secondary" href={paths.deleteWork(workId)}>
              Delete it
            </a>{' '}
            <a href={paths.work(workId)}>Back to the work</a>
          </p>
        </>
      ) : (
        <form class="form" method="post" action={paths.leaveWork(workId)}>
          <CsrfField context={context} />
          <p>
            Your pseuds leave the byline of “{title}”. You will no longer be able to edit it, see its stats or
            hear of its comments; the other creators keep it. Only they can invite you back.
          </p>
          <div class="actions">
            <button class="button danger" type="submit">
              Yes, remove me
            </button>
            <a class="button secondary" href={paths.work(workId)}>
              Cancel
            </a>
          </div>
        </form>
      )}
    </Layout>
  );
}
