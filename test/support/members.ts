import assert from 'node:assert/strict';
import { ApiWriter } from './apiClient.ts';
import { ReaderSession } from './readerSession.ts';
import type { TestArchive } from './testArchive.ts';

/** The password ApiWriter.signUp gives every account, so the same member can log in to the pages too. */
export const MEMBER_PASSWORD = 'long enough password';

export interface Member {
  id: number;
  username: string;
  /** The member's API token, with ApiWriter's helpers. */
  api: ApiWriter;
  /** The same member logged in to the pages, with a cookie jar and CSRF tokens. */
  page: ReaderSession;
}

/** A member with both an API token and a logged-in browser session. */
export async function member(archive: TestArchive, username: string): Promise<Member> {
  const api = await ApiWriter.signUp(archive.app, username);
  const page = new ReaderSession(archive.app);
  const login = await page.logIn(username, MEMBER_PASSWORD);
  assert.equal(login.status, 303, login.body);
  const user = await archive.archive.db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return { id: user.id, username, api, page };
}
