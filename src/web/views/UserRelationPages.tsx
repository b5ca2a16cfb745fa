import { paths } from '../../domain/archivePaths.ts';
import type { RelatedUser, UserRelationKind } from '../../services/userRelations.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { formatDate } from './WorkParts.tsx';

interface RelationWording {
  verb: string;
  undo: string;
  done: string;
  list: string;
  /** What the list page says about everyone on it. */
  summary: string;
  /** What the reader should know before they decide. */
  effects: string[];
  empty: string;
}

export const RELATION_WORDING: Record<UserRelationKind, RelationWording> = {
  mute: {
    verb: 'Mute',
    undo: 'Unmute',
    done: 'muted',
    list: 'Muted Users',
    summary: 'The works and comments of the users you muted are hidden from you. They are not told.',
    effects: [
      'Their works will no longer appear for you on the home page, in the works index or in tag listings.',
      'Their comments will be hidden from you.',
      'You can still visit their works page, where you will be reminded that you muted them.',
      'They will not be told, and you can unmute them at any time.',
    ],
    empty: 'You have not muted anyone.',
  },
  block: {
    verb: 'Block',
    undo: 'Unblock',
    done: 'blocked',
    list: 'Blocked Users',
    summary: 'The users you blocked cannot comment on your works, reply to comments on them or leave kudos.',
    effects: [
      'They will not be able to comment on your works, reply to comments on them or leave kudos.',
      'They can still read your works, and the comments they left before stay as they are.',
      'They will not be told until they try to comment, and you can unblock them at any time.',
    ],
    empty: 'You have not blocked anyone.',
  },
};

export function UserRelationConfirmPage({
  context,
  kind,
  username,
  active,
}: {
  context: PageContext;
  kind: UserRelationKind;
  username: string;
  /** Already muted (or blocked): the page offers to undo it instead. */
  active: boolean;
}) {
  const wording = RELATION_WORDING[kind];
  const title = `${active ? wording.undo : wording.verb} ${username}?`;
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <form
        class="form"
        method="post"
        action={active ? paths.undoUserRelation(username, kind) : paths.userRelation(username, kind)}
      >
        <CsrfField context={context} />
        {active ? (
          <p>
            You have {wording.done} {username}. If you {wording.undo.toLowerCase()} them, this no longer
            applies:
          </p>
        ) : (
          <p>
            Are you sure you want to {kind} {username}?
          </p>
        )}
        <ul>
          {wording.effects.map((effect) => (
            <li key={effect}>{effect}</li>
          ))}
        </ul>
        <div class="actions">
          <button class={active ? 'button' : 'button danger'} type="submit">
            {active ? `Yes, ${wording.undo.toLowerCase()}` : `Yes, ${kind}`} {username}
          </button>
          <a class="button secondary" href={paths.userWorks(username)}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}

export function UserRelationListPage({
  context,
  username,
  kind,
  users,
}: {
  context: PageContext;
  /** Whose list it is (the viewer's own). */
  username: string;
  kind: UserRelationKind;
  users: RelatedUser[];
}) {
  const wording = RELATION_WORDING[kind];
  return (
    <Layout context={context} title={wording.list}>
      <h1 class="page-title">{wording.list}</h1>
      <UserNavigation context={context} username={username} subscriptionId={null} />
      <p>{wording.summary}</p>
      {users.length === 0 ? (
        <p class="empty">{wording.empty}</p>
      ) : (
        <ul class="user-relations">
          {users.map((user) => (
            <li key={user.username}>
              <a href={paths.userWorks(user.username)}>{user.username}</a>{' '}
              <span class="muted">
                ({wording.done} on <time datetime={user.createdAt}>{formatDate(user.createdAt)}</time>)
              </span>
              <form class="inline" method="post" action={paths.undoUserRelation(user.username, kind)}>
                <CsrfField context={context} />
                <input type="hidden" name="return_to" value="list" />
                <button type="submit">{wording.undo}</button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** On another user's works page: mute and block (or undo them), and a reminder of a mute. */
export function UserRelationControls({
  username,
  relations,
}: {
  username: string;
  relations: Record<UserRelationKind, boolean>;
}) {
  return (
    <>
      {relations.mute ? (
        <div class="notice" role="note">
          You have muted this user: their works are hidden from you elsewhere in the archive, and their
          comments are hidden from you.
        </div>
      ) : null}
      <ul class="work-actions" aria-label={`Mute or block ${username}`}>
        {(['mute', 'block'] as const).map((kind) => (
          <li key={kind}>
            <a class="button secondary" href={paths.userRelation(username, kind)}>
              {relations[kind] ? RELATION_WORDING[kind].undo : RELATION_WORDING[kind].verb}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
