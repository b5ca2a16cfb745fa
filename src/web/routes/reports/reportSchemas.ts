import { z } from 'zod';
import { REPORT_STATUSES, reportCategorySchema } from '../../../domain/reports.ts';
import type { ReportView } from '../../../services/reports.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shapes of readers' reports in API v1.

const targetId = z.number().int().min(1).optional();

export const reportBody = z.object({
  work_id: targetId,
  chapter_id: targetId,
  comment_id: targetId,
  bookmark_id: targetId,
  user: z.string().max(100).optional().meta({ description: 'A username, to report an account' }),
  category: reportCategorySchema,
  text: z.string().max(5000),
  email: z.string().max(254).optional().meta({ description: 'Required from guests, so we can answer' }),
});

export const reportFiled = z.object({
  id: z.number().int(),
  added: z.boolean().meta({ description: 'true when this joined an open report about the same thing' }),
});

export const reportQuery = z.object({
  status: z.enum(REPORT_STATUSES).optional(),
  category: reportCategorySchema.optional(),
});

export const reportSchema = z
  .object({
    id: z.number().int(),
    target_kind: z.string(),
    target_id: z.number().int(),
    category: z.string(),
    status: z.enum(REPORT_STATUSES),
    claimed_by: z.string().nullable(),
    resolution_note: z.string(),
    created_at: isoTime,
    updated_at: isoTime,
    messages: z.array(z.object({ reporter: z.string(), text: z.string(), created_at: isoTime })),
  })
  .meta({ id: 'Report' });

export const reportListSchema = z.object({ reports: z.array(reportSchema) });

export const resolveBody = z.object({ note: z.string().max(5000) });

export function reportJson(report: ReportView): z.infer<typeof reportSchema> {
  return {
    id: report.id,
    target_kind: report.targetKind,
    target_id: report.targetId,
    category: report.category,
    status: report.status,
    claimed_by: report.claimedBy,
    resolution_note: report.resolutionNote,
    created_at: report.createdAt,
    updated_at: report.updatedAt,
    messages: report.messages.map((message) => ({
      reporter: message.reporter,
      text: message.text,
      created_at: message.createdAt,
    })),
  };
}
