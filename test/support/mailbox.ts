import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { jobHandlers } from '../../src/jobs/handlers.ts';
import { runDueJobs } from '../../src/jobs/queue.ts';
import type { TestArchive } from './testArchive.ts';

// A real SMTP server on a free port that keeps what it is sent, for the tests of mail: point an archive at
// it with QUIRE_SMTP_URL, then `deliver` runs the mail queue as `quire serve`'s worker would.

export interface ReceivedMail {
  to: string[];
  subject: string;
  body: string;
}

/** Bytes written as =XX (quoted-printable and Q-encoded words) back to text. */
function decodeHexEscapes(text: string): string {
  const bytes: number[] = [];
  for (let index = 0; index < text.length; index++) {
    const escaped = text[index] === '=' ? text.slice(index + 1, index + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(escaped)) {
      bytes.push(Number.parseInt(escaped, 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(text[index]));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The subject and text of a raw message, undoing the MIME encodings nodemailer chooses for non-ASCII text. */
export function readMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf('\r\n\r\n');
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const header = (name: string) => headers.match(new RegExp(`^${name}: (.*)$`, 'im'))?.[1] ?? '';
  const subject = header('Subject')
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QB])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeHexEscapes(text.replace(/_/g, ' ')),
    );
  const rawBody = raw.slice(split + 4);
  const transfer = header('Content-Transfer-Encoding').toLowerCase();
  const body =
    transfer === 'quoted-printable'
      ? decodeHexEscapes(rawBody.replace(/=\r\n/g, ''))
      : transfer === 'base64'
        ? Buffer.from(rawBody, 'base64').toString('utf8')
        : rawBody;
  return { to, subject, body };
}

export class TestMailbox {
  private readonly received: ReceivedMail[] = [];

  private constructor(
    private readonly server: SMTPServer,
    /** What QUIRE_SMTP_URL should say to send here. */
    readonly smtpUrl: string,
  ) {}

  static async start(): Promise<TestMailbox> {
    let mailbox: TestMailbox | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const to = session.envelope.rcptTo.map((address) => address.address);
          mailbox?.received.push(readMail(Buffer.concat(chunks).toString('utf8'), to));
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.server.address() as AddressInfo;
    mailbox = new TestMailbox(server, `smtp://127.0.0.1:${port}`);
    return mailbox;
  }

  /** Runs the archive's due jobs (mail among them) and hands over what arrived since last time. */
  async deliver(archive: Pick<TestArchive, 'archive' | 'config'>): Promise<ReceivedMail[]> {
    await runDueJobs(archive.archive.db, archive.archive.dialect, jobHandlers(archive.config));
    return this.received.splice(0);
  }

  /** Forgets what arrived so far. */
  clear(): void {
    this.received.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(resolve));
  }
}

/** The first link to this archive's `path` in a mail's text. */
export function linkIn(mail: ReceivedMail, path: string): URL {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const found = mail.body.match(new RegExp(`https?://[^\\s/]+${escaped}[^\\s]*`))?.[0];
  if (!found) throw new Error(`no link to ${path} in the mail "${mail.subject}":\n${mail.body}`);
  return new URL(found);
}
