import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { QuireConfig } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { enqueueJob, type Job } from './queue.ts';

export const MAIL_JOB = 'mail';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Mail never goes out inside a request: it waits in the queue, so a slow mail server slows no reader. */
export async function queueMail(db: Kysely<Database>, message: MailMessage): Promise<void> {
  await enqueueJob(db, MAIL_JOB, message);
}

/** The job handler that sends queued mail through the configured SMTP server. */
export function mailJobHandler(config: QuireConfig['mail']): (job: Job) => Promise<void> {
  let transport: Transporter | undefined;
  return async (job) => {
    if (!config.smtpUrl) throw new Error('QUIRE_SMTP_URL is not set; the mail waits until it is');
    transport ??= nodemailer.createTransport(config.smtpUrl);
    const message = job.payload as MailMessage;
    await transport.sendMail({
      from: config.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  };
}
