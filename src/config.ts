import path from 'node:path';
import { z } from 'zod';

// Every setting comes from the environment so that several app instances can share one configuration.
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  QUIRE_DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional(),
  QUIRE_SQLITE_SYNCHRONOUS: z.enum(['full', 'normal']).default('full'),
  QUIRE_BASE_URL: z.string().url().optional(),
  QUIRE_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/,
            'QUIRE_ALLOWED_HOSTS lists host names, each with an optional :port, separated by commas',
          ),
      ),
    ),
  QUIRE_ARCHIVE_NAME: z.string().trim().min(1).max(60).default('Quire'),
  QUIRE_TRUST_PROXY: z.enum(['on', 'off']).default('off'),
  QUIRE_REGISTRATION: z.enum(['open', 'invite', 'closed']).default('open'),
  QUIRE_RATE_LIMIT: z.enum(['on', 'off']).default('on'),
  QUIRE_SECRET: z.string().min(32, 'QUIRE_SECRET must be at least 32 characters').optional(),
  QUIRE_COOKIE_SECURE: z.enum(['auto', 'on', 'off']).default('auto'),
  QUIRE_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'QUIRE_SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
  QUIRE_MAIL_FROM: z.string().default('Quire <noreply@localhost>'),
  QUIRE_CONFIRM_EMAIL: z.enum(['on', 'off']).optional(),
  QUIRE_JOBS: z.enum(['on', 'off']).default('on'),
  QUIRE_IMPORT_MAX_FILE_MB: z.coerce.number().int().min(1).max(1024).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RegistrationMode = 'open' | 'invite' | 'closed';

/**
 * When SQLite waits for the disk (WAL mode): `full` syncs the log at every commit, so an acknowledged
 * write survives a power cut; `normal` syncs only at checkpoints, so a power cut can lose the last
 * writes (never corrupting the file). Both survive a crash of the process.
 */
export type SqliteSynchronous = 'full' | 'normal';

/** The cost of an argon2id password hash: memory in KiB, passes over it, and parallel lanes. */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** argon2's own defaults, which every archive's passwords have been hashed with. */
export const standardPasswordHashing: PasswordHashing = { memoryCost: 65536, timeCost: 3, parallelism: 4 };

export interface QuireConfig {
  port: number;
  host: string;
  database:
    | { dialect: 'sqlite'; file: string; synchronous?: SqliteSynchronous }
    | { dialect: 'postgres'; url: string };
  baseUrl: string | undefined;
  /**
   * Without baseUrl, the Host headers links may name (as browsers send them, with any port); any other
   * Host gets links to the first. Links never name a Host that is not listed (see web/context.ts).
   */
  allowedHosts: string[];
  /** How long one EPUB or HTML download may take to build before it is stopped (not from the environment). */
  downloads: { buildTimeLimitMs: number };
  archiveName: string;
  /** Behind a reverse proxy, take the client address and scheme from X-Forwarded-* headers. */
  trustProxy: boolean;
  registration: RegistrationMode;
  rateLimits: {
    enabled: boolean;
    /** Attempts per window; generous for people, tight for scripts. */
    login: { max: number; windowMs: number };
    signup: { max: number; windowMs: number };
    /** Kudos, from pages and the API together. */
    kudos: { max: number; windowMs: number };
    /** New comments and replies, from pages and the API together. */
    comments: { max: number; windowMs: number };
    /** Asking for mail about an account (password reset, confirmation, email change), per client address. */
    accountMail: { max: number; windowMs: number };
    /** The same mail per account, whoever asks: more asks send nothing (or are refused, when logged in). */
    accountMailPerAccount: { max: number; windowMs: number };
    /** Following the links in that mail (a reset token tried, a confirmation), per client address. */
    accountLinks: { max: number; windowMs: number };
    /** Abuse reports, from pages and the API together. */
    reports: { max: number; windowMs: number };
  };
  /**
   * Whether a new account must follow the link in its welcome mail before it may post or comment
   * (QUIRE_CONFIRM_EMAIL; on by default when mail can go out). While it is on, sign-up answers the same
   * whether or not the address already has an account.
   */
  confirmEmail: boolean;
  secret: string | undefined;
  /**
   * Applied with usePasswordHashing (services/users.ts). Not read from the environment, so that no archive
   * can weaken it by accident; the test archives lower it.
   */
  passwordHashing: PasswordHashing;
  secureCookies: 'auto' | 'on' | 'off';
  logLevel: string;
  /** Where notification mail goes out; without it, mail jobs wait until it is set. */
  mail: { smtpUrl: string | undefined; from: string };
  /** Whether this instance works through the job queue (off for instances that only serve pages). */
  runJobs: boolean;
  /**
   * Uploaded AO3 downloads: the largest file taken (each upload, and each download inside a zip, checked
   * before it is read), and the folder uploads stream into (under the data folder, not a tmpfs /tmp).
   */
  imports: { maxFileBytes: number; uploadFolder: string };
}

export class ConfigError extends Error {}

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): QuireConfig {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL
      ? { dialect: 'postgres', url: env.DATABASE_URL }
      : {
          dialect: 'sqlite',
          file: path.resolve(env.QUIRE_DATA_DIR, 'quire.db'),
          synchronous: env.QUIRE_SQLITE_SYNCHRONOUS,
        },
    baseUrl: env.QUIRE_BASE_URL?.replace(/\/$/, ''),
    allowedHosts: env.QUIRE_ALLOWED_HOSTS,
    downloads: { buildTimeLimitMs: 20_000 },
    archiveName: env.QUIRE_ARCHIVE_NAME,
    trustProxy: env.QUIRE_TRUST_PROXY === 'on',
    registration: env.QUIRE_REGISTRATION,
    rateLimits: {
      enabled: env.QUIRE_RATE_LIMIT === 'on',
      login: { max: 10, windowMs: 5 * 60_000 },
      signup: { max: 5, windowMs: 60 * 60_000 },
      kudos: { max: 30, windowMs: 5 * 60_000 },
      comments: { max: 10, windowMs: 60_000 },
      accountMail: { max: 10, windowMs: 60 * 60_000 },
      accountMailPerAccount: { max: 3, windowMs: 60 * 60_000 },
      accountLinks: { max: 20, windowMs: 5 * 60_000 },
      reports: { max: 10, windowMs: 60 * 60_000 },
    },
    confirmEmail: (env.QUIRE_CONFIRM_EMAIL ?? (env.QUIRE_SMTP_URL ? 'on' : 'off')) === 'on',
    secret: env.QUIRE_SECRET,
    passwordHashing: standardPasswordHashing,
    secureCookies: env.QUIRE_COOKIE_SECURE,
    logLevel: env.LOG_LEVEL,
    mail: { smtpUrl: env.QUIRE_SMTP_URL, from: env.QUIRE_MAIL_FROM },
    runJobs: env.QUIRE_JOBS === 'on',
    imports: {
      maxFileBytes: env.QUIRE_IMPORT_MAX_FILE_MB * 1024 * 1024,
      uploadFolder: path.resolve(env.QUIRE_DATA_DIR, 'uploads'),
    },
  };
}
