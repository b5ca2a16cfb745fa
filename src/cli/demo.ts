import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { renderMarkdown } from '../domain/htmlPolicy.ts';
import { addChapter } from '../services/chapters.ts';
import { registerUser } from '../services/users.ts';
import { createWork } from '../services/works.ts';
import { describeDatabase, openArchive } from './archive.ts';
import { demoCreators, demoWorks } from './demoArchive.ts';
import type { QuireIo } from './io.ts';

const DAY_MS = 24 * 60 * 60_000;

export interface DemoResult {
  works: number;
  chapters: number;
  accounts: { username: string; password: string }[];
}

/** Fills an empty archive with the sample works, through the same services a writer's posts use. */
export async function fillDemoArchive(db: Kysely<Database>): Promise<DemoResult> {
  const existing = await db.selectFrom('works').select('id').limit(1).executeTakeFirst();
  if (existing) throw new Error('The archive already has works; `quire demo` only fills an empty archive.');

  const accounts: DemoResult['accounts'] = [];
  const viewers = new Map<string, { id: number; username: string; isAdmin: boolean }>();
  for (const creator of demoCreators) {
    const password = randomBytes(9).toString('base64url');
    const user = await registerUser(db, { ...creator, password }, { mode: 'open', byAdministrator: true });
    viewers.set(creator.username, { id: user.id, username: user.username, isAdmin: false });
    accounts.push({ username: user.username, password });
  }

  let chapters = 0;
  // Oldest first, so that the newest sample is also the newest work.
  for (const sample of [...demoWorks].sort((a, b) => b.daysAgo - a.daysAgo)) {
    const viewer = viewers.get(sample.creator);
    if (!viewer) throw new Error(`Demo work "${sample.title}" names an unknown creator ${sample.creator}.`);
    const [first, ...rest] = sample.chapters;
    const chapterInput = (chapter: typeof first) => ({
      title: chapter.title,
      summary: chapter.summary ? renderMarkdown(chapter.summary) : undefined,
      notes: chapter.notes ? renderMarkdown(chapter.notes) : undefined,
      body: chapter.body,
      format: 'markdown',
    });
    const work = await createWork(
      db,
      viewer,
      {
        title: sample.title,
        summary: renderMarkdown(sample.summary),
        notes: sample.notes ? renderMarkdown(sample.notes) : undefined,
        end_notes: sample.endNotes ? renderMarkdown(sample.endNotes) : undefined,
        rating: sample.rating,
        warnings: sample.warnings,
        categories: sample.categories,
        fandoms: sample.fandoms,
        relationships: sample.relationships,
        characters: sample.characters,
        freeforms: sample.freeforms,
        language: sample.language,
        // Posted one chapter at a time below, so only the final state is complete.
        expected_chapters: sample.complete ? null : sample.expectedChapters,
      },
      [chapterInput(first)],
      { postedAt: new Date(Date.now() - sample.daysAgo * DAY_MS).toISOString() },
    );
    for (const chapter of rest) await addChapter(db, viewer, work.id, chapterInput(chapter));
    if (sample.complete) {
      await db
        .updateTable('works')
        .set({ complete: 1, expected_chapters: sample.chapters.length })
        .where('id', '=', work.id)
        .execute();
    }
    // Spread the updates over the past days rather than stamping them all "now".
    const updatedAt = new Date(
      Date.now() - Math.max(0, sample.daysAgo - 7 * rest.length) * DAY_MS,
    ).toISOString();
    await db.updateTable('works').set({ updated_at: updatedAt }).where('id', '=', work.id).execute();
    chapters += sample.chapters.length;
  }
  return { works: demoWorks.length, chapters, accounts };
}

/** `quire demo`: fills an empty archive and prints the sample accounts, so a newcomer can log in as one. */
export async function demo(io: QuireIo): Promise<number> {
  const { config, archive } = await openArchive(io.env);
  try {
    const result = await fillDemoArchive(archive.db);
    io.stdout(
      `Added ${result.works} sample works (${result.chapters} chapters) to ${describeDatabase(config)}.\n`,
    );
    io.stdout('Sample accounts (log in as one to see the creator side):\n');
    for (const account of result.accounts)
      io.stdout(`  ${account.username}  password: ${account.password}\n`);
    return 0;
  } finally {
    await archive.close();
  }
}
