import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { rebuildFilterTags } from './filterTags.ts';
import { writeWorkSearchTexts } from './workSearchTexts.ts';

/**
 * Brings what filtering and full-text search read about these works up to date, in the caller's
 * transaction: every write that changes a work's tags, text or creators ends with this.
 */
export async function refreshWorkIndexes(
  trx: Transaction<Database> | Kysely<Database>,
  workIds: readonly number[],
): Promise<void> {
  await rebuildFilterTags(trx, workIds);
  await writeWorkSearchTexts(trx, workIds);
}
