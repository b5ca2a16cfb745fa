import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { paths } from '../../src/domain/archivePaths.ts';
import { LIMITS } from '../../src/domain/workRules.ts';
import { parseAo3Html } from '../../src/formats/ao3Download.ts';
import { createApiToken } from '../../src/services/apiTokens.ts';
import { importWork } from '../../src/services/imports.ts';
import { registerUser } from '../../src/services/users.ts';
import { type XssPayload, xssPayloads } from '../fixtures/xssPayloads.ts';
import { MEMBER_PASSWORD, type Member, member } from './members.ts';
import { ReaderSession } from './readerSession.ts';
import type { TestArchive } from './testArchive.ts';

// An archive filled with the hostile corpus (test/fixtures/xssPayloads.ts) through every field where a
// user's text is stored and shown, and the list of pages that show it. Most of it goes in through the API
// (fast); the main forms are used too, so the page path is covered. Every stored value carries the ids of
// its payloads ([x042]), so a page that fails names the payload as well as the page.

export type Visitor = 'guest' | 'writer' | 'reader' | 'admin';

export interface PageToCheck {
  /** Path on the archive, or an HTML document to show as if it were there (a form's error page). */
  path: string;
  /** What user text this page shows, for the failure message. */
  fields: string;
  as: Visitor;
  /** A page answered to a POST: rendered from this HTML rather than fetched with GET. */
  html?: string;
  /** A listing whose later pages are reached by following its "Next page" link. */
  paginated?: boolean;
}

export interface HostileArchive {
  pages: PageToCheck[];
  /** HTML downloads, opened from a file as a reader would open them. */
  downloads: { name: string; fields: string; html: string }[];
  sessions: Record<Exclude<Visitor, 'guest'>, ReaderSession>;
  /** How many payloads went into each field. */
  payloadsPerField: Record<string, number>;
  /** The hostile tags by the work form's field that took them, for the tag suggestions. */
  tagsByField: Record<'fandoms' | 'relationships' | 'characters' | 'freeforms', string[]>;
}

export const HOSTILE_FANDOM = 'Hostile Fandom';
/** A word in every hostile work's text, so that a search finds them all (snippets show their text). */
const SEARCH_WORD = 'lanternxss';

function labelled(payload: XssPayload): string {
  return `[${payload.id}] ${payload.text}`;
}

/**
 * Payloads packed into as few values as a field's limit allows, each value holding whole payloads
 * with their ids. A payload longer than the limit is left out of that field.
 */
function pack(payloads: XssPayload[], limit: number, separator = '\n'): { value: string; count: number }[] {
  const values: { value: string; count: number }[] = [];
  let current = '';
  let count = 0;
  for (const payload of payloads) {
    const item = labelled(payload);
    if (item.length > limit) continue;
    if (current !== '' && current.length + separator.length + item.length > limit) {
      values.push({ value: current, count });
      current = '';
      count = 0;
    }
    current = current === '' ? item : `${current}${separator}${item}`;
    count += 1;
  }
  if (current !== '') values.push({ value: current, count });
  return values;
}

// Names (titles, tags, a guest's name) refuse characters that reverse the text around them; bodies keep them.
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
const namePayloads = xssPayloads.filter((payload) => !BIDI_CONTROL.test(payload.text));

const FORBIDDEN_TAG = /[,^*<>{}=\\%`]/;

/** The payloads a tag field accepts: the rest are refused by validation, which the tests check. */
export const tagPayloads = namePayloads.filter(
  (payload) => !FORBIDDEN_TAG.test(payload.text) && payload.text.trim().length <= LIMITS.tagName,
);

async function api(
  archive: TestArchive,
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  token: string | null,
  payload?: unknown,
) {
  const response = await archive.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
  assert.ok(
    response.statusCode < 300,
    `${method} ${url}: ${response.statusCode} ${response.body.slice(0, 300)}`,
  );
  return response.json();
}

export async function fillHostileArchive(archive: TestArchive): Promise<HostileArchive> {
  const pages: PageToCheck[] = [];
  const downloads: HostileArchive['downloads'] = [];
  const perField: Record<string, number> = {};
  const count = (field: string, n: number) => {
    perField[field] = (perField[field] ?? 0) + n;
  };
  const page = (path: string, fields: string, as: Visitor = 'guest', paginated = false) =>
    pages.push({ path, fields, as, paginated });

  const writer: Member = await member(archive, 'hostilewriter');
  const reader: Member = await member(archive, 'hostilereader');
  await registerUser(
    archive.archive.db,
    { username: 'hostileadmin', email: 'hostileadmin@example.org', password: MEMBER_PASSWORD },
    { mode: 'open', byAdministrator: true, admin: true },
  );
  const admin = new ReaderSession(archive.app);
  assert.equal((await admin.logIn('hostileadmin', MEMBER_PASSWORD)).status, 303);
  const token = writer.api.token;

  // --- One payload per chapter, in every chapter field: each payload is sanitised on its own there.
  const fits = (limit: number) => (payload: XssPayload) => labelled(payload).length <= limit;
  const titleFits = (payload: XssPayload) =>
    fits(LIMITS.chapterTitle)(payload) && namePayloads.includes(payload);
  const chapterFields = (payload: XssPayload) => ({
    title: titleFits(payload) ? labelled(payload) : `[${payload.id}]`,
    summary: fits(LIMITS.summary)(payload) ? labelled(payload) : '',
    notes: fits(LIMITS.notes)(payload) ? labelled(payload) : '',
    end_notes: fits(LIMITS.notes)(payload) ? labelled(payload) : '',
    body: `<p>[${payload.id}]</p>${payload.text}`,
  });
  count('chapter title', xssPayloads.filter(titleFits).length);
  count('chapter summary', xssPayloads.filter(fits(LIMITS.summary)).length);
  count('chapter notes', xssPayloads.filter(fits(LIMITS.notes)).length);
  count('chapter end notes', xssPayloads.filter(fits(LIMITS.notes)).length);
  for (const field of ['chapter body (HTML)', 'chapter body (Markdown)']) count(field, xssPayloads.length);

  const chaptered = await writer.api.postWork({
    title: 'Every payload, one per chapter',
    fandoms: [HOSTILE_FANDOM],
    chapters: xssPayloads.map(chapterFields),
  });
  const markdownWork = await writer.api.postWork({
    title: 'Every payload as Markdown',
    fandoms: [HOSTILE_FANDOM],
    chapters: xssPayloads.map((payload) => ({
      title: `[${payload.id}]`,
      body: `[${payload.id}]\n\n${payload.text}`,
      format: 'markdown',
    })),
  });
  const chapterIds: number[] = (await api(archive, 'GET', `/works/${chaptered.id}`, token)).chapters.map(
    (chapter: { id: number }) => chapter.id,
  );
  const chapterFieldNames = 'chapter title, summary, notes, body, end notes';
  page(paths.fullWork(chaptered.id), chapterFieldNames);
  page(paths.fullWork(markdownWork.id), 'chapter body (Markdown)');
  page(paths.chapterIndex(chaptered.id), 'chapter title');
  // Chapter pages and edit forms show a chapter as the whole-work page does; a sample of them is loaded.
  for (const [index, chapterId] of chapterIds.entries()) {
    if (index % 50 === 0) page(paths.chapter(chaptered.id, chapterId), chapterFieldNames);
    if (index % 100 === 0)
      page(paths.editChapter(chaptered.id, chapterId), `${chapterFieldNames} (edit form)`, 'writer');
  }

  // --- Work fields, packed: titles are short, so they spread over many works.
  const titles = pack(namePayloads, LIMITS.title, ' ');
  const summaries = pack(xssPayloads, LIMITS.summary);
  const notes = pack(xssPayloads, LIMITS.notes);
  const tagGroups: XssPayload[][] = [];
  for (let start = 0; start < tagPayloads.length; start += 8)
    tagGroups.push(tagPayloads.slice(start, start + 8));
  count('work title', sum(titles));
  count('series title', sum(titles));
  count('work summary', sum(summaries));
  count('work notes', sum(notes));
  count('work end notes', sum(notes));
  count('fandom, relationship, character and additional tags', tagPayloads.length);

  const works: { id: number; title: string }[] = [];
  const tagsByField: HostileArchive['tagsByField'] = {
    fandoms: [],
    relationships: [],
    characters: [],
    freeforms: [],
  };
  for (let index = 0; index < titles.length; index += 1) {
    const tags = tagGroups[index] ?? [];
    const ofType = (type: number) =>
      tags.filter((_, position) => position % 4 === type).map((payload) => payload.text);
    const fields = {
      title: titles[index].value,
      summary: summaries[index]?.value ?? 'Quiet.',
      notes: notes[index]?.value ?? '',
      end_notes: notes[notes.length - 1 - index]?.value ?? '',
      fandoms: [HOSTILE_FANDOM, ...ofType(0)],
      relationships: ofType(1),
      characters: ofType(2),
      freeforms: ofType(3),
      series_title: titles[index].value,
      chapters: [{ body: `<p>The ${SEARCH_WORD} burned low.</p>${summaries[index]?.value ?? ''}` }],
    };
    for (const field of ['fandoms', 'relationships', 'characters', 'freeforms'] as const)
      tagsByField[field].push(...fields[field].filter((name) => name !== HOSTILE_FANDOM));
    // The first goes through the work form, as a writer would post it.
    if (index === 0) {
      const form = await writer.page.get(paths.newWork());
      assert.equal(form.status, 200);
      const { chapters, ...workFields } = fields;
      const posted = await writer.page.post(paths.works(), {
        ...workFields,
        fandoms: fields.fandoms.join(','),
        relationships: fields.relationships.join(','),
        characters: fields.characters.join(','),
        freeforms: fields.freeforms.join(','),
        rating: 'General Audiences',
        warnings: ['No Archive Warnings Apply'],
        chapter_title: titles[index].value,
        chapter_body: chapters[0].body,
        chapter_format: 'html',
        action: 'post',
      });
      assert.equal(posted.status, 303, posted.body.slice(0, 500));
      works.push({ id: Number(posted.location?.match(/\/works\/(\d+)/)?.[1]), title: fields.title });
    } else {
      const posted = await writer.api.postWork(fields);
      works.push({ id: posted.id, title: fields.title });
    }
  }
  // A tag refused for its characters is said so, and never stored.
  const refused = await archive.app.inject({
    method: 'POST',
    url: '/api/v1/works',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      title: 'Refused',
      rating: 'General Audiences',
      warnings: ['No Archive Warnings Apply'],
      fandoms: ['<img src=x onerror=__xss(0)>'],
      chapters: [{ body: 'x' }],
    },
  });
  assert.equal(refused.statusCode, 400, 'a tag with < > = is refused');

  for (const [index, work] of works.entries()) {
    page(paths.work(work.id), 'work title, summary, notes, end notes, tags, series title');
    // Only the first works carry notes; the rest carry titles, summaries and tags, which the edit form
    // shows as it does for the first ones.
    if (index < notes.length) page(paths.editWork(work.id), 'work fields (edit form)', 'writer');
  }
  const pagesOf = (total: number) => Math.ceil(total / 20);
  for (const listing of [paths.works(), paths.tagWorks(HOSTILE_FANDOM), paths.userWorks(writer.username)]) {
    page(listing, 'work blurbs (title, summary, tags, series), filter sidebar facets', 'guest', true);
  }
  page(paths.home(), 'work blurbs');
  page(`${paths.workSearch()}?q=${SEARCH_WORD}`, 'search results with matched text', 'guest', true);
  page(paths.fandoms(), 'fandom names');
  page(paths.tagWranglings(), 'unwrangled tag names', 'admin');
  for (const [index, tag] of tagPayloads.entries()) {
    page(paths.tag(tag.text), 'tag name');
    if (index % 5 === 0) page(paths.tagWorks(tag.text), 'tag name, work blurbs');
  }
  page(paths.userStats(writer.username), 'work titles in stats', 'writer');

  // --- Series: made by the work form's series title; description and notes through the series form.
  const seriesRows = await archive.archive.db
    .selectFrom('series')
    .select(['id', 'title'])
    .orderBy('id')
    .execute();
  assert.equal(seriesRows.length, works.length);
  // The series listing shows every title and description; only a series page shows the notes.
  for (const [index, series] of seriesRows.slice(0, summaries.length).entries()) {
    const edit = await writer.page.get(paths.editSeries(series.id));
    assert.equal(edit.status, 200);
    const workId = works[index].id;
    const saved = await writer.page.post(paths.editSeries(series.id), {
      title: series.title,
      summary: summaries[index]?.value ?? '',
      notes: notes[index]?.value ?? '',
      [`position_${workId}`]: '1',
    });
    assert.equal(saved.status, 303, saved.body.slice(0, 500));
    if (index < notes.length) page(paths.series(series.id), 'series title, description, notes, part blurbs');
  }
  count('series description', sum(summaries));
  count('series notes', sum(notes));
  page(paths.userSeries(writer.username), 'series titles and descriptions');
  page(paths.editSeries(seriesRows[0].id), 'series fields (edit form)', 'writer');

  // --- Comments: one thread on a work, the corpus in replies to it: by the reader through the comment
  // form, by the writer from the inbox reply form, by guests through the API under hostile names.
  // Comments are sanitised as chapters are, where each payload is on its own, so bodies are packed here.
  const discussed = await writer.api.postWork({ title: titles[0].value, fandoms: ['Quiet Fandom'] });
  const root = await api(archive, 'POST', `/works/${discussed.id}/comments`, reader.api.token, {
    body: 'First thread.',
  });
  const bodies = pack(xssPayloads, 10_000);
  const guestNames = pack(namePayloads, 100, ' ');
  await reader.page.get(paths.work(discussed.id));
  // The reply form under an inbox item: its CSRF token is the inbox page's.
  await writer.page.get(paths.inbox(writer.username));
  for (const [index, { value, count: payloads }] of bodies.entries()) {
    const reply = { body: value, parent_id: String(root.id) };
    const posted =
      index % 2 === 0
        ? await reader.page.post(paths.workComments(discussed.id), reply)
        : await writer.page.post(paths.workComments(discussed.id), { ...reply, from: 'inbox' });
    assert.equal(posted.status, 303, posted.body.slice(0, 500));
    count(index % 2 === 0 ? 'comment body' : 'inbox reply', payloads);
  }
  for (const [index, { value }] of guestNames.entries()) {
    await api(archive, 'POST', `/works/${discussed.id}/comments`, null, {
      body: bodies[index % bodies.length].value,
      parent_id: root.id,
      guest_name: value,
    });
  }
  count('guest comment name', sum(guestNames));
  const threadSize = 1 + bodies.length + guestNames.length;
  page(paths.work(discussed.id), 'comment bodies, guest names');
  page(paths.fullWork(discussed.id), 'comment bodies, guest names');
  for (let number = 1; number <= pagesOf(threadSize); number += 1)
    page(`${paths.inbox(writer.username)}?page=${number}`, 'comments and guest names in the inbox', 'writer');
  // The same items, told to the reader whose comment they answer.
  page(paths.inbox(reader.username), 'replies and guest names in the inbox', 'reader');
  const readerReplies = await archive.archive.db
    .selectFrom('comments')
    .select('id')
    .where('work_id', '=', discussed.id)
    .where('user_id', '=', reader.id)
    .orderBy('id')
    .limit(3)
    .execute();
  for (const { id } of readerReplies.slice(1)) {
    page(paths.replyToComment(id), 'the comment answered');
    page(paths.editComment(id), 'comment body (edit form)', 'reader');
  }
  // A comment form that fails validation shows what was typed again.
  const tooLong = await reader.page.post(paths.workComments(discussed.id), {
    body: `${xssPayloads.map((payload) => payload.text).join('\n')}${'x'.repeat(10_000)}`,
  });
  assert.equal(tooLong.status, 400);
  pages.push({
    path: paths.workComments(discussed.id),
    fields: 'comment body echoed by a refused form',
    as: 'reader',
    html: tooLong.body,
  });

  // --- Bookmarks with notes and the reader's own tags; the first through the bookmark form.
  const bookmarkNotes = pack(xssPayloads, 5000);
  count('bookmark notes', sum(bookmarkNotes));
  count('bookmark tags', tagPayloads.length);
  const bookmarked = works.slice(0, Math.max(bookmarkNotes.length, tagGroups.length));
  for (const [index, work] of bookmarked.entries()) {
    const fields = {
      notes: bookmarkNotes[index]?.value ?? '',
      tags: (tagGroups[index] ?? []).map((payload) => payload.text),
    };
    if (index === 0) {
      await reader.page.get(paths.newWorkBookmark(work.id));
      const saved = await reader.page.post(paths.workBookmarks(work.id), {
        ...fields,
        tags: fields.tags.join(','),
      });
      assert.equal(saved.status, 303, saved.body.slice(0, 500));
    } else {
      await api(archive, 'POST', '/bookmarks', reader.api.token, { work_id: work.id, ...fields });
    }
  }
  for (const series of seriesRows.slice(0, 3))
    await api(archive, 'POST', '/bookmarks', reader.api.token, {
      series_id: series.id,
      notes: bookmarkNotes[0].value,
    });
  for (let number = 1; number <= pagesOf(bookmarked.length + 3); number += 1)
    page(
      `${paths.userBookmarks(reader.username)}?page=${number}`,
      'bookmark notes and tags, work and series blurbs',
    );
  const bookmarkIds = await archive.archive.db
    .selectFrom('bookmarks')
    .select('id')
    .orderBy('id')
    .limit(3)
    .execute();
  for (const { id } of bookmarkIds)
    page(paths.editBookmark(id), 'bookmark notes and tags (edit form)', 'reader');
  for (const work of works.slice(0, 3))
    page(paths.workBookmarks(work.id), 'bookmark notes and tags, work blurb');

  // --- The reader's history and subscriptions, and the writer's API tokens: titles and names again.
  // Reading a work puts it in the history; marking it for later is cheaper and lists it the same way.
  for (const work of works.slice(0, 3)) await reader.page.get(paths.work(work.id));
  for (const work of works) {
    await api(archive, 'POST', `/history/${work.id}/mark-for-later`, reader.api.token);
    await api(archive, 'POST', '/subscriptions', reader.api.token, { work_id: work.id });
  }
  for (const series of seriesRows.slice(0, notes.length))
    await api(archive, 'POST', '/subscriptions', reader.api.token, { series_id: series.id });
  page(paths.readings(reader.username), 'work titles in the reading history', 'reader');
  for (let number = 1; number <= pagesOf(works.length); number += 1)
    page(`${paths.markedForLater(reader.username)}&page=${number}`, 'work titles marked for later', 'reader');
  page(paths.userSubscriptions(reader.username), 'work and series titles in subscriptions', 'reader');
  // Made by the service: through the API each would cost a password check. The API's only rule on the
  // name is its length (100), which the packing keeps to.
  const tokenNames = pack(xssPayloads, 100, ' ');
  for (const { value } of tokenNames) await createApiToken(archive.archive.db, writer.id, { name: value });
  count('API token name', sum(tokenNames));
  page(paths.tokens(), 'API token names', 'writer');

  // --- Reflected: the search box, the listing filters and the names of unknown tags echo what was asked.
  // Only the first 500 characters are read as a search, but the whole text is shown again in the box.
  const queries = pack(xssPayloads, 2500, ' ');
  count('search text (reflected)', sum(queries));
  for (const { value } of queries) {
    const query = new URLSearchParams({ q: value });
    page(`${paths.workSearch()}?${query}`, 'search text echoed');
  }
  for (const group of pack(xssPayloads, 1500, '|')) {
    const query = new URLSearchParams();
    for (const text of group.value.split('|')) query.append('include', text);
    query.append('words_from', group.value.slice(0, 200));
    query.append('language', group.value.slice(0, 200));
    page(`${paths.works()}?${query}`, 'unknown tags and filters echoed');
  }
  count('listing filters (reflected)', xssPayloads.length);

  // --- AO3 downloads that an administrator imports: title, creator, summary and text are hostile. A
  // payload that leaves the file unreadable as a download (an unclosed <plaintext> swallows the rest) is
  // refused with the file, so each file holds as many payloads as still leave it readable.
  const template = fs.readFileSync(path.resolve('test/fixtures/ao3/one-shot.html'), 'utf8');
  const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const download = (number: number, chosen: XssPayload[]) =>
    template
      .replaceAll('街灯', escaped(titles[number % titles.length].value))
      .replace('by Anonymous', `by ${escaped(labelled(namePayloads[number]))}`)
      .replace('<p>雨停以后，小梅数街灯。</p>', summaries[number % summaries.length].value)
      .replace(
        /<p>雨停了[\s\S]*?<\/p><p>[\s\S]*?<\/p>/,
        chosen.map((payload) => `<p>[${payload.id}]</p>${payload.text}`).join('\n'),
      )
      .replace('51000999', String(51000000 + number));
  const readable = (html: string) => {
    try {
      parseAo3Html(html);
      return true;
    } catch {
      return false;
    }
  };
  const batches: XssPayload[][] = [[]];
  for (const payload of xssPayloads) {
    if (!readable(download(0, [payload]))) continue;
    const batch = batches[batches.length - 1];
    if (readable(download(0, [...batch, payload]))) batch.push(payload);
    else batches.push([payload]);
  }
  // Imported through the service the upload form and `quire import ao3` share, since how uploads reach it
  // is changing (issue 11: uploads to disk, imports in the job queue); what is stored and shown is the same.
  const importer = { id: writer.id, username: writer.username, isAdmin: false };
  for (const [number, batch] of batches.entries()) {
    const outcome = await importWork(archive.archive.db, importer, parseAo3Html(download(number, batch)));
    assert.equal(outcome.status, 'imported');
  }
  count('AO3 import (title, creator, summary, text)', sum(batches.map((batch) => ({ count: batch.length }))));
  const importedWorks = await archive.archive.db
    .selectFrom('works')
    .select(['id', 'title'])
    .where('imported_from', 'is not', null)
    .orderBy('id')
    .execute();
  for (const work of importedWorks) page(paths.fullWork(work.id), 'imported title, creator, summary, text');

  // --- The HTML downloads of the works that hold the corpus.
  const downloadsOf = [
    { id: chaptered.id, title: 'Every payload, one per chapter', fields: chapterFieldNames },
    { id: markdownWork.id, title: 'Every payload as Markdown', fields: 'chapter body (Markdown)' },
    ...importedWorks.map((work) => ({ ...work, fields: 'imported work' })),
    ...works.slice(0, 3).map((work) => ({ ...work, fields: 'work title, summary, notes, tags, series' })),
  ];
  for (const work of downloadsOf) {
    const response = await archive.app.inject({
      method: 'GET',
      url: paths.download(work.id, work.title, 'html'),
    });
    assert.equal(response.statusCode, 200, `download of work ${work.id}`);
    downloads.push({ name: `work-${work.id}.html`, fields: work.fields, html: response.body });
  }

  return {
    pages,
    downloads,
    sessions: { writer: writer.page, reader: reader.page, admin },
    payloadsPerField: perField,
    tagsByField,
  };
}

function sum(values: { count: number }[]): number {
  return values.reduce((total, value) => total + value.count, 0);
}
