import { paths } from '../../domain/archivePaths.ts';
import { COMMENT_LIMITS } from '../../domain/commentRules.ts';
import type { InboxItem, InboxPage as InboxListing } from '../../services/inbox.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatDate, Pagination, SanitizedHtml } from './WorkParts.tsx';

// The reader's inbox: comments on their works, replies to their comments, and subscription news.
// Items are chosen with checkboxes that belong to one form (via form="…"), so that each comment can
// carry its own reply form without nesting forms.

export type InboxFilter = 'all' | 'unread';

const BULK_FORM = 'inbox-selection';

/**
 * Where an item leads: the comment in its thread, the chapter or work it announces, the reader's data,
 * or their co-creator requests (where an invitation is answered: the work may be a draft they cannot open yet).
 */
function itemLink(item: InboxItem, username: string): string | null {
  if (item.kind === 'data_export') return paths.dataExport(username);
  if (item.kind === 'creatorship_invitation') return paths.userCreatorships(username);
  if (item.commentId !== null) return paths.comment(item.commentId);
  if (item.workId !== null && item.chapterId !== null) return paths.chapter(item.workId, item.chapterId);
  if (item.workId !== null) return paths.work(item.workId);
  return null;
}

function InboxReplyForm({ context, item }: { context: PageContext; item: InboxItem }) {
  const comment = item.comment;
  if (!comment?.canReply || item.workId === null) return null;
  const fieldId = `reply-${item.id}`;
  return (
    <form class="inbox-reply" method="post" action={paths.workComments(item.workId)}>
      <CsrfField context={context} />
      <input type="hidden" name="parent_id" value={String(comment.id)} />
      <input type="hidden" name="from" value="inbox" />
      <label for={fieldId}>Reply to {comment.author}</label>
      <textarea id={fieldId} name="body" rows={3} required maxLength={COMMENT_LIMITS.body} />
      <button class="button secondary" type="submit">
        Post reply
      </button>
    </form>
  );
}

function ApproveButton({ context, item }: { context: PageContext; item: InboxItem }) {
  if (item.comment?.status !== 'unreviewed') return null;
  return (
    <form class="inline" method="post" action={paths.moderateComment(item.comment.id, 'approve')}>
      <CsrfField context={context} />
      <input type="hidden" name="from" value="inbox" />
      <button class="button secondary" type="submit">
        Approve comment
      </button>
    </form>
  );
}

function InboxEntry({ context, item }: { context: PageContext; item: InboxItem }) {
  const link = itemLink(item, context.viewer?.username ?? '');
  return (
    <li class={item.read ? 'inbox-item read' : 'inbox-item unread'} id={`inbox_${item.id}`}>
      <p class="inbox-heading">
        <input
          type="checkbox"
          name="ids"
          value={String(item.id)}
          form={BULK_FORM}
          id={`select-${item.id}`}
          aria-label={`Select: ${item.text}`}
        />{' '}
        {item.read ? null : <span class="inbox-unread">Unread</span>}{' '}
        {link ? <a href={link}>{item.text}</a> : <span>{item.text}</span>}{' '}
        <time class="muted" datetime={item.createdAt}>
          {formatDate(item.createdAt)}
        </time>
      </p>
      {item.comment ? (
        <SanitizedHtml as="blockquote" class="userstuff inbox-comment" html={item.comment.body} />
      ) : null}
      <ApproveButton context={context} item={item} />
      <InboxReplyForm context={context} item={item} />
    </li>
  );
}

export function InboxPage({
  context,
  inbox,
  filter,
}: {
  context: PageContext;
  inbox: InboxListing;
  filter: InboxFilter;
}) {
  const username = context.viewer?.username ?? '';
  const base = paths.inbox(username);
  return (
    <Layout context={context} title="My Inbox">
      <h1 class="page-title">My Inbox</h1>
      <p>
        {inbox.unread === 0
          ? 'No unread items.'
          : `${inbox.unread} unread ${inbox.unread === 1 ? 'item' : 'items'}.`}
      </p>
      <nav class="inbox-filter" aria-label="Show">
        <ul>
          <li>{filter === 'all' ? <span aria-current="page">All</span> : <a href={base}>All</a>}</li>
          <li>
            {filter === 'unread' ? (
              <span aria-current="page">Unread</span>
            ) : (
              <a href={`${base}?filter=unread`}>Unread</a>
            )}
          </li>
        </ul>
      </nav>
      <form id={BULK_FORM} class="inbox-actions" method="post" action={base}>
        <CsrfField context={context} />
        <input type="hidden" name="filter" value={filter} />
        <span>With the selected items:</span>{' '}
        <button class="button secondary" type="submit" name="action" value="read">
          Mark read
        </button>{' '}
        <button class="button secondary" type="submit" name="action" value="unread">
          Mark unread
        </button>{' '}
        <button class="button danger" type="submit" name="action" value="delete">
          Delete
        </button>
      </form>
      {inbox.items.length > 0 ? (
        <ol class="inbox">
          {inbox.items.map((item) => (
            <InboxEntry key={item.id} context={context} item={item} />
          ))}
        </ol>
      ) : (
        <p class="muted">{filter === 'unread' ? 'Nothing unread.' : 'Your inbox is empty.'}</p>
      )}
      <Pagination
        page={inbox.page}
        pages={inbox.pages}
        basePath={filter === 'unread' ? `${base}?filter=unread` : base}
      />
    </Layout>
  );
}
