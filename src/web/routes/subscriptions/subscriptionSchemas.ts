import { z } from 'zod';
import { recordIdSchema } from '../../../domain/workRules.ts';
import type { SubscriptionEntry, SubscriptionKind } from '../../../services/subscriptions.ts';
import { isoTime } from '../../api/apiContract.ts';

// The JSON shapes of subscriptions in API v1, and how the service's subscriptions become them. Field
// names are the API's contract: they change only with a new version.

const SUBSCRIPTION_KINDS = ['work', 'series', 'user'] as const satisfies readonly SubscriptionKind[];

export const subscriptionSchema = z
  .object({
    id: z.number().int(),
    type: z.enum(SUBSCRIPTION_KINDS),
    name: z.string().meta({ description: 'The work’s or series’ title, or the creator’s username' }),
    url: z.string().meta({ format: 'uri' }),
    created_at: isoTime,
  })
  .meta({ id: 'Subscription' });

export const subscriptionListSchema = z.object({ subscriptions: z.array(subscriptionSchema) });

/**
 * What to subscribe to. The service reads the target (exactly one of the three, and the creator by name);
 * this declares the fields so that a value of the wrong kind is refused with its name.
 */
export const newSubscriptionSchema = z
  .object({
    work_id: recordIdSchema('work_id must be the id of a work.')
      .optional()
      .meta({ description: 'A work: hear of its new chapters' }),
    series_id: recordIdSchema('series_id must be the id of a series.')
      .optional()
      .meta({ description: 'A series: hear of its new parts' }),
    user: z
      .string({ error: 'user must be a username.' })
      .optional()
      .meta({ description: 'A creator’s username: hear of their new works' }),
  })
  .meta({ description: 'Exactly one of work_id, series_id or user' });

export function subscriptionJson(
  subscription: SubscriptionEntry,
  origin: string,
): z.output<typeof subscriptionSchema> {
  return {
    id: subscription.id,
    type: subscription.kind,
    name: subscription.name,
    url: `${origin}${subscription.path}`,
    created_at: subscription.createdAt,
  };
}
