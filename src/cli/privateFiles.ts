import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';

/**
 * Writes a file that only its owner may read (0600), for exports that hold email addresses and
 * password hashes. The bytes go to a new file created with that mode and then renamed into place:
 * writing into an existing file would keep whatever mode it had, and a chmod afterwards would leave
 * a moment in which others could open it.
 */
export async function writePrivateFile(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(partial, bytes, { mode: 0o600, flag: 'wx' });
    await fs.rename(partial, file);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error;
  }
}
