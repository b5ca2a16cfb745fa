import { z } from 'zod';
import type { PendingInvitation, WorkCreatorships } from '../../../services/creatorships.ts';
import { isoTime, recordId } from '../../api/apiContract.ts';

// The JSON shapes of co-creator invitations in API v1, and how the service's rows become them. Field
// names are the API's contract: they change only with a new version.

export const creatorshipSchema = z
  .object({
    id: z.number().int(),
    work_id: z.number().int(),
    work_title: z.string(),
    pseud: z.string().meta({ description: 'The pseud invited to the byline' }),
    user: z.string().meta({ description: "The invited pseud's owner" }),
    invited_by: z.string().nullable().meta({ description: 'Who sent it (null once their account is gone)' }),
    created_at: isoTime,
  })
  .meta({ id: 'CreatorshipInvitation' });

export const creatorshipsSchema = z.object({
  items: z.array(creatorshipSchema).meta({ description: 'Newest first' }),
});

export const workCreatorshipsSchema = z
  .object({
    work_id: z.number().int(),
    title: z.string(),
    creators: z
      .array(z.object({ pseud: z.string(), user: z.string() }))
      .meta({ description: 'The byline, in order' }),
    pending: z.array(creatorshipSchema).meta({ description: 'Invitations nobody has answered yet' }),
  })
  .meta({ id: 'WorkCreatorships' });

export const inviteBody = z
  .object({
    pseud: z.string().optional().meta({
      description: 'A pseud\'s name, or "Name (username)" where several members have a pseud of that name',
    }),
    user: z.string().optional().meta({ description: "A username: invites that member's default pseud" }),
  })
  .meta({ description: 'Exactly one of pseud or user' });

export const answerBody = z.object({
  accept: z.boolean({ error: 'Send "accept": true to join the byline, or false to decline.' }),
});

export const answerSchema = z.object({
  work_id: z.number().int(),
  title: z.string(),
  accepted: z.boolean().meta({ description: 'true: you are now a creator of the work; false: declined' }),
});

export const workCreatorshipParams = z.object({ id: recordId, creatorshipId: recordId });

export function creatorshipJson(invitation: PendingInvitation): z.output<typeof creatorshipSchema> {
  return {
    id: invitation.id,
    work_id: invitation.workId,
    work_title: invitation.workTitle,
    pseud: invitation.pseud,
    user: invitation.username,
    invited_by: invitation.invitedBy,
    created_at: invitation.createdAt,
  };
}

export function workCreatorshipsJson(work: WorkCreatorships): z.output<typeof workCreatorshipsSchema> {
  return {
    work_id: work.workId,
    title: work.title,
    creators: work.creators.map((creator) => ({ pseud: creator.pseud, user: creator.username })),
    pending: work.pending.map(creatorshipJson),
  };
}
