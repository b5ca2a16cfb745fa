import { paths } from '../../domain/archivePaths.ts';
import { COMMENT_LIMITS } from '../../domain/commentRules.ts';
import { bylineName, bylinePath } from '../../domain/pseudRules.ts';
import { DELETED_ACCOUNT_NAME } from '../../services/accountDeletion.ts';
import type { CommentPosting, CommentSection, CommentView } from '../../services/comments.ts';
import type { WorkSummary } from '../../services/workViews.ts';
import type { FormState } from './AccountPages.tsx';
import { ErrorSummary, TextArea, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { PseudIcon, PseudSelect } from './PseudPages.tsx';
import { ReportLink } from './ReportPages.tsx';
import { formatDate, Pagination, SanitizedHtml } from './WorkParts.tsx';

// Comments at the end of a work or chapter page, and the pages that reply to, edit or re-show one.
// Everything here is a plain link or form: replying opens its own page, so no script is needed.

type OpenPosting = Extract<CommentPosting, { allowed: true }>;

const BODY_HINT = `Up to ${COMMENT_LIMITS.body.toLocaleString('en')} characters. Plain text (blank lines make paragraphs) or simple HTML.`;

function CommentAuthor({ comment }: { comment: CommentView }) {
  if (comment.author) {
    const icon = comment.authorIcon;
    return (
      <>
        {icon ? (
          <PseudIcon pseud={{ id: icon.pseudId, iconHash: icon.hash, iconAltText: icon.altText }} />
        ) : null}
        <a class="comment-author" href={bylinePath(comment.author)}>
          {bylineName(comment.author)}
        </a>
      </>
    );
  }
  return (
    <span class="comment-author">
      {comment.guestName ? `${comment.guestName} (Guest)` : DELETED_ACCOUNT_NAME}
    </span>
  );
}

function ModerationButton({
  context,
  comment,
  action,
  label,
}: {
  context: PageContext;
  comment: CommentView;
  action: 'hide' | 'unhide' | 'approve';
  label: string;
}) {
  return (
    <form class="inline" method="post" action={paths.moderateComment(comment.id, action)}>
      <CsrfField context={context} />
      <button class="link-button" type="submit">
        {label}
      </button>
    </form>
  );
}

function CommentActions({
  context,
  comment,
  moderator,
  canReply,
}: {
  context: PageContext;
  comment: CommentView;
  moderator: boolean;
  canReply: boolean;
}) {
  return (
    <ul class="comment-actions" aria-label="Comment actions">
      {canReply && comment.status === 'visible' ? (
        <li>
          <a href={paths.replyToComment(comment.id)}>Reply</a>
        </li>
      ) : null}
      <li>
        <a href={paths.comment(comment.id)}>Thread</a>
      </li>
      <li>
        <ReportLink target={{ kind: 'comment', id: comment.id }} />
      </li>
      {comment.own ? (
        <li>
          <a href={paths.editComment(comment.id)}>Edit</a>
        </li>
      ) : null}
      {comment.own || moderator ? (
        <li>
          <a href={paths.deleteComment(comment.id)}>Delete</a>
        </li>
      ) : null}
      {moderator && comment.status === 'unreviewed' ? (
        <li>
          <ModerationButton context={context} comment={comment} action="approve" label="Approve" />
        </li>
      ) : null}
      {moderator && comment.status !== 'hidden' ? (
        <li>
          <ModerationButton context={context} comment={comment} action="hide" label="Hide" />
        </li>
      ) : null}
      {moderator && comment.status === 'hidden' ? (
        <li>
          <ModerationButton context={context} comment={comment} action="unhide" label="Unhide" />
        </li>
      ) : null}
    </ul>
  );
}

const STATUS_NOTES: Partial<Record<CommentView['status'], string>> = {
  unreviewed: 'Waiting for approval: only the creators and the commenter can see it.',
  hidden: 'Hidden by a creator: only the creators can see it.',
};

/** One comment's own content, without its replies. */
export function CommentBody({ comment, showChapter }: { comment: CommentView; showChapter?: boolean }) {
  return (
    <>
      <p class="comment-byline">
        <CommentAuthor comment={comment} />
        {showChapter && comment.chapterPosition !== null ? (
          <span class="muted"> on Chapter {comment.chapterPosition}</span>
        ) : null}{' '}
        <time class="muted" datetime={comment.createdAt}>
          {formatDate(comment.createdAt)}
        </time>
        {comment.edited ? <span class="muted"> (edited)</span> : null}
      </p>
      {STATUS_NOTES[comment.status] ? <p class="comment-status">{STATUS_NOTES[comment.status]}</p> : null}
      <SanitizedHtml class="userstuff comment-body" html={comment.body} />
    </>
  );
}

function CommentItem({
  context,
  comment,
  moderator,
  canReply,
  showChapter,
}: {
  context: PageContext;
  comment: CommentView;
  moderator: boolean;
  canReply: boolean;
  showChapter: boolean;
}) {
  return (
    <li class={`comment comment-${comment.status}`} id={`comment_${comment.id}`}>
      {comment.status === 'deleted' ? (
        <p class="comment-deleted">(Previous comment deleted.)</p>
      ) : (
        <>
          <CommentBody comment={comment} showChapter={showChapter} />
          <CommentActions context={context} comment={comment} moderator={moderator} canReply={canReply} />
        </>
      )}
      {comment.replies.length > 0 ? (
        <ol class="comment-replies">
          {comment.replies.map((reply) => (
            <CommentItem
              key={reply.id}
              context={context}
              comment={reply}
              moderator={moderator}
              canReply={canReply}
              showChapter={false}
            />
          ))}
        </ol>
      ) : null}
    </li>
  );
}

/** The form for a new comment or a reply: as the reader's pseud, or with a guest's name and email. */
export function CommentForm({
  context,
  workId,
  posting,
  chapterId,
  parentId,
  form,
  submitLabel,
}: {
  context: PageContext;
  workId: number;
  posting: OpenPosting;
  chapterId?: number | null;
  parentId?: number;
  form?: FormState;
  submitLabel: string;
}) {
  const values = form?.values ?? {};
  return (
    <form class="form comment-form" method="post" action={paths.workComments(workId)}>
      <CsrfField context={context} />
      {chapterId ? <input type="hidden" name="chapter_id" value={String(chapterId)} /> : null}
      {parentId ? <input type="hidden" name="parent_id" value={String(parentId)} /> : null}
      <ErrorSummary message={form?.message} fields={form?.errors} />
      {posting.pseud === null ? (
        <>
          <TextField
            name="guest_name"
            label="Name"
            value={values.guest_name}
            errors={form?.errors}
            required
            maxLength={COMMENT_LIMITS.guestName}
            hint="Shown with your comment, marked as a guest."
          />
          <TextField
            name="guest_email"
            label="Email (optional)"
            type="email"
            value={values.guest_email}
            errors={form?.errors}
            maxLength={COMMENT_LIMITS.guestEmail}
            hint="Never shown on the archive."
          />
        </>
      ) : posting.pseuds.length > 1 ? (
        <PseudSelect choices={posting.pseuds} value={values.pseud} errors={form?.errors} label="Comment as" />
      ) : (
        <p class="comment-as">
          Comment as <strong>{posting.pseud}</strong>
        </p>
      )}
      <TextArea
        name="body"
        label="Comment"
        value={values.body}
        errors={form?.errors}
        rows={6}
        required
        maxLength={COMMENT_LIMITS.body}
        hint={BODY_HINT}
      />
      {posting.held ? (
        <p class="hint">Comments on this work are moderated: yours will appear once a creator approves it.</p>
      ) : null}
      <div class="actions">
        <button class="button" type="submit">
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

function PostingClosed({ posting }: { posting: Extract<CommentPosting, { allowed: false }> }) {
  return (
    <p class="comments-closed">
      {posting.reason}
      {posting.needsLogIn ? (
        <>
          {' '}
          <a href={paths.logIn()}>Log in</a>
        </>
      ) : null}
    </p>
  );
}

export function CommentsSection({
  context,
  section,
  basePath,
}: {
  context: PageContext;
  section: CommentSection;
  /** The page the section sits on, for its page links. */
  basePath: string;
}) {
  const { posting } = section;
  return (
    <section class="comments" id="comments" aria-labelledby="comments-heading">
      <h3 class="heading" id="comments-heading">
        Comments
      </h3>
      {posting.allowed ? (
        <CommentForm
          context={context}
          workId={section.workId}
          posting={posting}
          chapterId={section.chapterId}
          submitLabel="Comment"
        />
      ) : (
        <PostingClosed posting={posting} />
      )}
      {section.threads.length > 0 ? (
        <ol class="comment-threads">
          {section.threads.map((comment) => (
            <CommentItem
              key={comment.id}
              context={context}
              comment={comment}
              moderator={section.moderator}
              canReply={posting.allowed}
              showChapter={section.chapterId === null}
            />
          ))}
        </ol>
      ) : (
        <p class="muted">No comments yet.</p>
      )}
      <Pagination page={section.page} pages={section.pages} basePath={basePath} />
    </section>
  );
}

/** A new comment or reply, on a page of its own: the reply page, or a refused comment with what was typed. */
export function CommentFormPage({
  context,
  work,
  posting,
  parent,
  parentId = parent?.id,
  chapterId,
  form,
}: {
  context: PageContext;
  work: Pick<WorkSummary, 'id' | 'title'>;
  posting: CommentPosting;
  /** The comment being answered, shown above the form. */
  parent?: CommentView;
  /** What a refused reply was answering, when the comment itself is not shown. */
  parentId?: number;
  chapterId?: number | null;
  form?: FormState;
}) {
  const replying = parentId !== undefined;
  const title = replying ? `Reply to a comment on “${work.title}”` : `Comment on “${work.title}”`;
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">
        {replying ? 'Reply to a comment on ' : 'Comment on '}
        <a href={paths.work(work.id)}>{work.title}</a>
      </h1>
      {parent ? (
        <div class="comment comment-parent">
          <CommentBody comment={parent} />
        </div>
      ) : null}
      {posting.allowed ? (
        <CommentForm
          context={context}
          workId={work.id}
          posting={posting}
          parentId={parentId}
          chapterId={chapterId}
          form={form}
          submitLabel={replying ? 'Reply' : 'Comment'}
        />
      ) : (
        <PostingClosed posting={posting} />
      )}
      <p>
        <a href={paths.work(work.id)}>Back to the work</a>
      </p>
    </Layout>
  );
}

export function CommentEditPage({
  context,
  work,
  comment,
  form,
}: {
  context: PageContext;
  work: Pick<WorkSummary, 'id' | 'title'>;
  comment: CommentView;
  form: FormState;
}) {
  return (
    <Layout context={context} title={`Edit your comment on “${work.title}”`}>
      <h1 class="page-title">
        Edit your comment on <a href={paths.work(work.id)}>{work.title}</a>
      </h1>
      <form class="form comment-form" method="post" action={paths.comment(comment.id)}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={form.errors} />
        <TextArea
          name="body"
          label="Comment"
          value={form.values.body}
          errors={form.errors}
          rows={8}
          required
          maxLength={COMMENT_LIMITS.body}
          hint={BODY_HINT}
        />
        <div class="actions">
          <button class="button" type="submit">
            Update
          </button>
          <a class="button secondary" href={paths.comment(comment.id)}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
