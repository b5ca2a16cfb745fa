import { z } from 'zod';
import type { OrphanPlan } from '../../../services/orphaning.ts';

// The JSON shapes of orphaning in API v1.

export const orphanRequestBody = z
  .object({
    work_id: z.number().int().positive().optional().meta({ description: 'Orphan this work' }),
    series_id: z
      .number()
      .int()
      .positive()
      .optional()
      .meta({ description: 'Orphan this series and your posted works in it (your drafts leave it)' }),
    all_works: z.boolean().optional().meta({ description: 'Orphan every posted work and series of yours' }),
    keep_pseud: z.boolean().optional().meta({
      description:
        'Credit the works to a pseud of orphan_account with your pseud’s name (default false: orphan_account)',
    }),
  })
  .meta({ description: 'Exactly one of work_id, series_id or all_works' });

const handedOver = z.object({ id: z.number().int(), title: z.string() });

export const orphanedSchema = z
  .object({
    works: z.array(handedOver).meta({ description: 'The works now credited to orphan_account' }),
    series: z.array(handedOver).meta({ description: 'The series now owned by orphan_account' }),
  })
  .meta({ id: 'Orphaned' });

export function orphanedJson(plan: OrphanPlan): z.output<typeof orphanedSchema> {
  return { works: plan.works, series: plan.series };
}
