import { randomBytes } from 'node:crypto';
import { ValidationError } from '../services/errors.ts';
import { changeRole } from '../services/staffRoles.ts';
import { createInvitation, registerUser } from '../services/users.ts';
import { openArchive } from './archive.ts';
import type { QuireIo } from './io.ts';

export interface CreateAccountOptions {
  username: string;
  email: string;
  password?: string;
  admin: boolean;
}

/** `quire user create`: an account whatever the registration mode; a password nobody chose is printed once. */
export async function createAccount(options: CreateAccountOptions, io: QuireIo): Promise<number> {
  const { archive } = await openArchive(io.env);
  const generated = !options.password && !io.env.QUIRE_NEW_PASSWORD;
  const password = options.password ?? io.env.QUIRE_NEW_PASSWORD ?? randomBytes(12).toString('base64url');
  try {
    const created = await registerUser(
      archive.db,
      { username: options.username, email: options.email, password },
      { mode: 'open', byAdministrator: true, admin: options.admin },
    );
    io.stdout(
      `Created ${options.admin ? 'administrator' : 'user'} ${created.username} (id ${created.id}).\n`,
    );
    if (generated) io.stdout(`Password: ${password}\n`);
    return 0;
  } finally {
    await archive.close();
  }
}

/** `quire user invite`: invitation codes, one a line, for QUIRE_REGISTRATION=invite. */
export async function makeInvitations(options: { count: string }, io: QuireIo): Promise<number> {
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    throw new ValidationError('--count must be a whole number from 1 to 1000.');
  const { archive } = await openArchive(io.env);
  try {
    for (let index = 0; index < count; index++) io.stdout(`${await createInvitation(archive.db, null)}\n`);
    return 0;
  } finally {
    await archive.close();
  }
}

/** `quire user role`: grants a staff role, or with --revoke takes it away; recorded in the audit log. */
export async function assignRole(
  login: string,
  role: string,
  options: { revoke: boolean; reason?: string },
  io: QuireIo,
): Promise<number> {
  const { archive } = await openArchive(io.env);
  try {
    const { username, change } = await changeRole(archive, 'command line', {
      login,
      role,
      granted: !options.revoke,
      reason: options.reason,
    });
    const outcome = {
      granted: `${username} is now ${role === 'administrator' ? 'an' : 'a'} ${role}.`,
      revoked: `${username} is no longer ${role === 'administrator' ? 'an' : 'a'} ${role}.`,
      unchanged: `${username} ${options.revoke ? 'did not have' : 'already has'} the ${role} role; nothing changed.`,
    };
    io.stdout(`${outcome[change]}\n`);
    return 0;
  } finally {
    await archive.close();
  }
}

/** `quire user wrangler`: gives an account the wrangler role, or with --revoke takes it away. */
export async function assignWrangler(
  login: string,
  options: { revoke: boolean },
  io: QuireIo,
): Promise<number> {
  const { archive } = await openArchive(io.env);
  try {
    const { username } = await changeRole(archive, 'command line', {
      login,
      role: 'wrangler',
      granted: !options.revoke,
    });
    io.stdout(
      options.revoke ? `${username} is no longer a tag wrangler.\n` : `${username} is now a tag wrangler.\n`,
    );
    return 0;
  } finally {
    await archive.close();
  }
}

/** `quire user admin`: makes an existing account an administrator, or with --revoke stops it being one. */
export async function assignAdministrator(
  login: string,
  options: { revoke: boolean },
  io: QuireIo,
): Promise<number> {
  const { archive } = await openArchive(io.env);
  try {
    const { username, change } = await changeRole(archive, 'command line', {
      login,
      role: 'administrator',
      granted: !options.revoke,
    });
    const outcome = {
      granted: `${username} is now an administrator.`,
      revoked: `${username} is no longer an administrator.`,
      unchanged: options.revoke
        ? `${username} was not an administrator; nothing changed.`
        : `${username} is already an administrator; nothing changed.`,
    };
    io.stdout(`${outcome[change]}\n`);
    return 0;
  } finally {
    await archive.close();
  }
}
