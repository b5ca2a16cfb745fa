import { z } from 'zod';
import type { InboxComment, InboxItem, InboxPage } from '../../../services/inbox.ts';
import { isoTime, pageParameter, pagePosition } from '../../api/apiContract.ts';

// The JSON shapes of a reader's inbox in API v1 (private to its reader), and how the service's items
// become them. Field names are the API's contract: they change only with a new version.

const INBOX_KINDS = [
  'comment',
  'reply',
  'new_chapter',
  'new_work',
  'new_series_part',
  'data_export',
  'creatorship_invitation',
] as const satisfies readonly InboxItem['kind'][];

const COMMENT_STATUSES = [
  'visible',
  'unreviewed',
  'hidden',
  'deleted',
] as const satisfies readonly InboxComment['status'][];

export const inboxItemSchema = z
  .object({
    id: z.number().int(),
    kind: z.enum(INBOX_KINDS),
    read: z.boolean(),
    created_at: isoTime,
    work_id: z.number().int().nullable(),
    chapter_id: z.number().int().nullable(),
    comment_id: z.number().int().nullable(),
    text: z.string().meta({ description: 'What happened, in a sentence' }),
    comment: z
      .object({
        id: z.number().int(),
        author: z.string().meta({ description: 'The commenter’s pseud, or a guest’s name' }),
        body: z.string().meta({ description: 'Sanitised HTML' }),
        status: z.enum(COMMENT_STATUSES),
        can_reply: z.boolean(),
      })
      .nullable()
      .meta({ description: 'The comment an item is about, while you may read it; reply with parent_id' }),
  })
  .meta({ id: 'InboxItem' });

export const inboxQuery = z.object({
  filter: z
    .enum(['all', 'unread'])
    .optional()
    .catch(undefined)
    .meta({ description: 'unread: only the unread items; anything else: all of them' }),
  page: pageParameter(),
});

export const inboxPageSchema = z.object({
  items: z.array(inboxItemSchema),
  unread_count: z.number().int().meta({ description: 'Unread items in the whole inbox' }),
  total: z.number().int(),
  ...pagePosition,
});

export const inboxItemChange = z.object({
  read: z.boolean({ error: 'Send true or false.' }),
});

export function inboxItemJson(item: InboxItem): z.output<typeof inboxItemSchema> {
  return {
    id: item.id,
    kind: item.kind,
    read: item.read,
    created_at: item.createdAt,
    work_id: item.workId,
    chapter_id: item.chapterId,
    comment_id: item.commentId,
    text: item.text,
    comment: item.comment && {
      id: item.comment.id,
      author: item.comment.author,
      body: item.comment.body,
      status: item.comment.status,
      can_reply: item.comment.canReply,
    },
  };
}

export function inboxPageJson(inbox: InboxPage): z.output<typeof inboxPageSchema> {
  return {
    items: inbox.items.map(inboxItemJson),
    unread_count: inbox.unread,
    total: inbox.total,
    page: inbox.page,
    pages: inbox.pages,
  };
}
