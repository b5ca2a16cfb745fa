import { z } from 'zod';
import { STAFF_ROLES } from '../../../domain/staffPolicy.ts';
import type { AuditEntry } from '../../../services/auditLog.ts';
import { isoTime, pagePosition } from '../../api/apiContract.ts';

// The JSON shapes of staff roles and the audit log in API v1.

const roleSchema = z.enum(STAFF_ROLES).meta({
  description: 'administrator > moderator > wrangler (tag wrangler); administrators act as the other two',
});

export const staffUserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    roles: z.array(roleSchema).meta({ description: 'The roles granted; empty for a user' }),
  })
  .meta({ id: 'StaffUser' });

export const staffUserListSchema = z.object({ users: z.array(staffUserSchema) });

export const staffUserQuery = z.object({
  q: z.string().max(100).optional().meta({ description: 'The start of a username; all accounts without it' }),
});

export const roleChangeBody = z.object({
  role: roleSchema,
  granted: z.boolean().meta({ description: 'true grants the role, false revokes it' }),
  reason: z.string().max(1000).optional().meta({ description: 'Why, for the audit log' }),
});

export const roleChangeAnswer = z.object({
  username: z.string(),
  change: z.enum(['granted', 'revoked', 'unchanged']),
});

export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    actor: z.string().meta({ description: 'Who acted, by username then, or "command line" for `quire`' }),
    action: z.string().meta({ description: 'What was done, such as "grant moderator"' }),
    target_kind: z.string().meta({ description: 'What it was done to: user, work, comment…' }),
    target_id: z.number().int().nullable(),
    target_name: z.string(),
    reason: z.string(),
    created_at: isoTime,
  })
  .meta({ id: 'AuditEntry' });

export const auditLogSchema = z.object({ entries: z.array(auditEntrySchema), ...pagePosition });

export function auditEntryJson(entry: AuditEntry): z.infer<typeof auditEntrySchema> {
  return {
    id: entry.id,
    actor: entry.actorName,
    action: entry.action,
    target_kind: entry.targetKind,
    target_id: entry.targetId,
    target_name: entry.targetName,
    reason: entry.reason,
    created_at: entry.createdAt,
  };
}
