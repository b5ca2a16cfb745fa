import type { ArchiveDatabase } from '../db/database.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { findUserByLogin } from './users.ts';

export type AdministratorChange = 'granted' | 'revoked' | 'unchanged';

/**
 * Makes an existing account an administrator, or stops it being one. The archive always keeps one: the
 * last administrator cannot be revoked. On PostgreSQL the administrators' rows are locked while counting,
 * so two revocations at once cannot each leave the other as the last and then both go through; on SQLite
 * the second of two such transactions cannot write over what it read, and fails instead.
 */
export async function setAdministrator(
  archive: ArchiveDatabase,
  login: string,
  admin: boolean,
): Promise<{ username: string; change: AdministratorChange }> {
  const user = await findUserByLogin(archive.db, login);
  if (!user) throw new NotFoundError(`There is no account named ${login}.`);
  return archive.db.transaction().execute(async (trx) => {
    let administrators = trx.selectFrom('users').select('id').where('is_admin', '=', 1);
    if (archive.dialect === 'postgres') administrators = administrators.forUpdate();
    const ids = (await administrators.execute()).map((row) => row.id);
    const isAdmin = ids.includes(user.id);
    if (isAdmin === admin) return { username: user.username, change: 'unchanged' as const };
    if (!admin && ids.length === 1)
      throw new ConflictError(
        `${user.username} is the archive's last administrator. Make another account an administrator ` +
          `first (quire user admin LOGIN), then revoke ${user.username}.`,
      );
    await trx
      .updateTable('users')
      .set({ is_admin: admin ? 1 : 0 })
      .where('id', '=', user.id)
      .execute();
    return { username: user.username, change: admin ? ('granted' as const) : ('revoked' as const) };
  });
}
