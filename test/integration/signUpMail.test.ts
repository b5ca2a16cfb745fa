import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { runDueJobs } from '../../src/jobs/queue.ts';
import { ReaderSession } from '../support/readerSession.ts';
import { startTestArchive, type TestArchive, testDialect } from '../support/testArchive.ts';

interface Delivered {
  to: string[];
  /** The message as sent, with quoted-printable soft line breaks joined (the texts here are ASCII). */
  text: string;
}

describe(`mail to the owner of an address someone signs up with (${testDialect})`, () => {
  let smtp: SMTPServer;
  const mailbox: Delivered[] = [];
  let archive: TestArchive;

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          mailbox.push({
            to: session.envelope.rcptTo.map((address) => address.address),
            text: Buffer.concat(chunks).toString('utf8').replace(/=\r\n/g, ''),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    archive = await startTestArchive({ environment: { QUIRE_SMTP_URL: `smtp://127.0.0.1:${port}` } });
    await new ReaderSession(archive.app).signUp('inkwell');
  });
  after(async () => {
    await archive.close();
    await new Promise<void>((resolve) => smtp.close(resolve));
  });

  async function deliverMail(): Promise<Delivered[]> {
    await runDueJobs(archive.archive.db, archive.archive.dialect, jobHandlers(archive.config));
    return mailbox.splice(0);
  }

  it('tells the owner when someone signs up on the page with their address, and makes no account', async () => {
    await deliverMail();
    const visitor = new ReaderSession(archive.app);
    await visitor.get('/signup');
    const response = await visitor.post('/signup', {
      username: 'inkwell_two',
      email: 'INKWELL@example.org',
      password: 'long enough password',
    });
    // With mail configured, addresses are confirmed, so the answer is the one every sign-up gets.
    assert.equal(response.status, 303);
    assert.equal(response.location, '/users/confirmation/new');
    const mail = await deliverMail();
    assert.equal(mail.length, 1);
    assert.deepEqual(mail[0].to, ['inkwell@example.org']);
    assert.match(mail[0].text, /Subject: Someone tried to sign up at Quire with your address/);
    assert.match(mail[0].text, /belongs to your account inkwell\. No new account was made\./);
    assert.match(mail[0].text, /If it was you, log in .*: http:\/\/[^/\s]+\/users\/login/);
    const accounts = await archive.archive.db.selectFrom('users').select('username').execute();
    assert.deepEqual(
      accounts.map((account) => account.username),
      ['inkwell'],
    );
  });

  it('tells the owner when the API is asked for an account with their address', async () => {
    const response = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'inkwell_three', email: 'inkwell@example.org', password: 'long enough password' },
    });
    assert.equal(response.statusCode, 202);
    const mail = await deliverMail();
    assert.deepEqual(
      mail.map((message) => message.to),
      [['inkwell@example.org']],
    );
  });

  it('mails nobody when only the username is taken, since usernames are public anyway', async () => {
    const response = await archive.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'Inkwell', email: 'someone.else@example.org', password: 'long enough password' },
    });
    assert.equal(response.statusCode, 409);
    assert.deepEqual(await deliverMail(), []);
  });
});
