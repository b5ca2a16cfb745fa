import { paths } from '../../domain/archivePaths.ts';
import { TAG_TYPE_LABELS } from '../../domain/vocabulary.ts';
import type { ChapterContent } from '../../services/chapters.ts';
import type { CommentSection } from '../../services/comments.ts';
import type { KudosList } from '../../services/kudos.ts';
import type { ReaderActionsState } from '../../services/readerActions.ts';
import type { ReadingMark } from '../../services/readings.ts';
import type { WorkDetail } from '../../services/works.ts';
import { CommentsSection } from './CommentsSection.tsx';
import { KudosSection } from './KudosSection.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { MarkForLaterButton } from './MarkForLaterButton.tsx';
import { ReaderActions } from './ReaderActions.tsx';
import { ReportLink } from './ReportPages.tsx';
import { SeriesNavigation } from './SeriesPages.tsx';
import { Byline, formatCount, SanitizedHtml, TagLinks, WorkStats } from './WorkParts.tsx';

export function chapterHeading(chapter: { position: number; title: string }): string {
  return chapter.title ? `Chapter ${chapter.position}: ${chapter.title}` : `Chapter ${chapter.position}`;
}

function WorkMeta({ work }: { work: WorkDetail }) {
  const rows: [string, string[], string][] = [
    [TAG_TYPE_LABELS.rating.one, [work.rating], 'rating'],
    [
      work.warnings.length > 1 ? TAG_TYPE_LABELS.warning.many : TAG_TYPE_LABELS.warning.one,
      work.warnings,
      'warning',
    ],
    [
      work.categories.length > 1 ? TAG_TYPE_LABELS.category.many : TAG_TYPE_LABELS.category.one,
      work.categories,
      'category',
    ],
    [
      work.fandoms.length > 1 ? TAG_TYPE_LABELS.fandom.many : TAG_TYPE_LABELS.fandom.one,
      work.fandoms,
      'fandom',
    ],
    [
      work.relationships.length > 1 ? TAG_TYPE_LABELS.relationship.many : TAG_TYPE_LABELS.relationship.one,
      work.relationships,
      'relationship',
    ],
    [TAG_TYPE_LABELS.character.many, work.characters, 'character'],
    [TAG_TYPE_LABELS.freeform.many, work.freeforms, 'freeform'],
  ];
  return (
    <div class="work-meta">
      <dl class="work-meta-list">
        {rows
          .filter(([, names]) => names.length > 0)
          .map(([label, names, kind]) => (
            <>
              <dt key={`${kind}-label`}>{label}:</dt>
              <dd key={kind}>
                <TagLinks names={names} kind={kind} />
              </dd>
            </>
          ))}
        {work.series.length > 0 ? (
          <>
            <dt>Series:</dt>
            <dd>
              {work.series.map((part) => (
                <span class="series-part" key={part.id}>
                  Part {part.position} of <a href={paths.series(part.id)}>{part.title}</a>
                </span>
              ))}
            </dd>
          </>
        ) : null}
        <dt>Stats:</dt>
        <dd>
          <WorkStats work={work} />
        </dd>
      </dl>
    </div>
  );
}

function DownloadLinks({ work }: { work: WorkDetail }) {
  if (work.draft) return null;
  return (
    <ul class="work-actions downloads" aria-label="Download">
      <li>Download:</li>
      <li>
        <a class="button secondary" href={paths.download(work.id, work.title, 'epub')} download>
          EPUB
        </a>
      </li>
      <li>
        <a class="button secondary" href={paths.download(work.id, work.title, 'html')} download>
          HTML
        </a>
      </li>
    </ul>
  );
}

function CreatorActions({
  work,
  context,
  chapter,
}: {
  work: WorkDetail;
  context: PageContext;
  chapter?: ChapterContent;
}) {
  if (!work.editable) return null;
  return (
    <ul class="work-actions" aria-label="Creator actions">
      {work.draft ? (
        <li>
          <form class="inline" method="post" action={paths.postWork(work.id)}>
            <CsrfField context={context} />
            <button class="button" type="submit">
              Post this draft
            </button>
          </form>
        </li>
      ) : null}
      <li>
        <a class="button" href={paths.editWork(work.id)}>
          Edit work
        </a>
      </li>
      <li>
        <a class="button" href={paths.newChapter(work.id)}>
          Add chapter
        </a>
      </li>
      {chapter ? (
        <li>
          <a class="button" href={paths.editChapter(work.id, chapter.id)}>
            Edit chapter
          </a>
        </li>
      ) : null}
      {work.chapterCount > 1 ? (
        <li>
          <a class="button" href={paths.manageChapters(work.id)}>
            Reorder chapters
          </a>
        </li>
      ) : null}
      <li>
        <a class="button" href={paths.deleteWork(work.id)}>
          Delete work
        </a>
      </li>
      {work.draft ? null : (
        <li>
          <a class="button" href={paths.orphanWork(work.id)}>
            Orphan work
          </a>
        </li>
      )}
    </ul>
  );
}

/** Previous / next and a jump list, so long works read chapter by chapter without the index. */
function ChapterNavigation({ work, chapter }: { work: WorkDetail; chapter: ChapterContent }) {
  const index = work.chapters.findIndex((entry) => entry.id === chapter.id);
  const previous = work.chapters[index - 1];
  const next = work.chapters[index + 1];
  return (
    <nav class="chapter-nav" aria-label="Chapters">
      <ul>
        {previous ? (
          <li>
            <a class="button" rel="prev" href={paths.chapter(work.id, previous.id)}>
              ← Previous Chapter
            </a>
          </li>
        ) : null}
        <li>
          <form class="chapter-jump" method="get" action={paths.chapterIndex(work.id)}>
            <label class="visually-hidden" for="chapter-jump">
              Go to chapter
            </label>
            <select id="chapter-jump" name="chapter_id">
              {work.chapters.map((entry) => (
                <option key={entry.id} value={String(entry.id)} selected={entry.id === chapter.id}>
                  {`${entry.position}. ${entry.title || `Chapter ${entry.position}`}`}
                </option>
              ))}
            </select>
            <button class="button secondary" type="submit">
              Go
            </button>
          </form>
        </li>
        <li>
          <a class="button secondary" href={paths.fullWork(work.id)}>
            Entire Work
          </a>
        </li>
        {next ? (
          <li>
            <a class="button" rel="next" href={paths.chapter(work.id, next.id)}>
              Next Chapter →
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

function ChapterText({ chapter, showHeading }: { chapter: ChapterContent; showHeading: boolean }) {
  return (
    <article class="chapter" id={`chapter-${chapter.position}`} aria-label={chapterHeading(chapter)}>
      {showHeading ? <h3 class="chapter-title">{chapterHeading(chapter)}</h3> : null}
      {chapter.summary ? (
        <div class="chapter-summary">
          <h4 class="heading">Summary:</h4>
          <SanitizedHtml as="blockquote" class="userstuff" html={chapter.summary} />
        </div>
      ) : null}
      {chapter.notes ? (
        <div class="chapter-notes">
          <h4 class="heading">Notes:</h4>
          <SanitizedHtml as="blockquote" class="userstuff" html={chapter.notes} />
        </div>
      ) : null}
      <h4 class="visually-hidden">Chapter Text</h4>
      <SanitizedHtml class="userstuff" html={chapter.body} />
      {chapter.endNotes ? (
        <div class="chapter-end-notes">
          <h4 class="heading">Notes:</h4>
          <SanitizedHtml as="blockquote" class="userstuff" html={chapter.endNotes} />
        </div>
      ) : null}
    </article>
  );
}

export function WorkPage({
  context,
  work,
  chapters,
  wholeWork,
  kudos,
  reading,
  readerActions,
  comments,
}: {
  context: PageContext;
  work: WorkDetail;
  chapters: ChapterContent[];
  /** The whole work on one page, or one chapter of it. */
  wholeWork: boolean;
  /** Who left kudos, shown with the kudos button after the text. */
  kudos?: KudosList;
  /** The reader's Marked for Later state (absent for guests and the work's creators). */
  reading?: ReadingMark | null;
  /** The reader's bookmark of and subscription to the work, for the Bookmark and Subscribe buttons. */
  readerActions?: ReaderActionsState;
  /** The comment threads of this page (the chapter shown, or the whole work) and the comment form. */
  comments?: CommentSection;
}) {
  const single = !wholeWork && work.chapterCount > 1 ? chapters[0] : undefined;
  const onLastChapter = !single || single.id === work.chapters[work.chapters.length - 1]?.id;
  const title = single ? `${work.title} - ${chapterHeading(single)}` : work.title;
  return (
    <Layout context={context} title={title}>
      {work.draft ? (
        <div class="draft-banner" role="note">
          This work is a draft: only you can see it. Post it when it is ready.
        </div>
      ) : null}
      <CreatorActions work={work} context={context} chapter={single} />
      {readerActions ? <ReaderActions context={context} work={work} state={readerActions} /> : null}
      <MarkForLaterButton
        context={context}
        work={work}
        reading={reading}
        chapter={single}
        wholeWork={wholeWork}
      />
      {work.chapterCount > 1 && wholeWork ? (
        <ul class="work-actions">
          <li>
            <a class="button secondary" href={paths.chapter(work.id, work.chapters[0].id)}>
              Chapter by Chapter
            </a>
          </li>
        </ul>
      ) : null}
      <WorkMeta work={work} />
      <DownloadLinks work={work} />
      <p class="report-links">
        <ReportLink target={{ kind: 'work', id: work.id }} />
        {single ? <ReportLink target={{ kind: 'chapter', id: single.id }} /> : null}
      </p>
      <div class="preface">
        <h2 class="work-title">{work.title}</h2>
        <p class="byline">
          by <Byline work={work} />
        </p>
        {work.importedFrom ? (
          <p class="muted">
            Imported from <a href={work.importedFrom}>{work.importedFrom}</a>
          </p>
        ) : null}
        {work.summary ? (
          <div class="summary">
            <h3 class="heading">Summary:</h3>
            <SanitizedHtml as="blockquote" class="userstuff" html={work.summary} />
          </div>
        ) : null}
        {work.notes && (wholeWork || !single || single.position === 1) ? (
          <div class="notes">
            <h3 class="heading">Notes:</h3>
            <SanitizedHtml as="blockquote" class="userstuff" html={work.notes} />
          </div>
        ) : null}
      </div>
      {single ? <ChapterNavigation work={work} chapter={single} /> : null}
      {chapters.map((chapter) => (
        <ChapterText key={chapter.id} chapter={chapter} showHeading={work.chapterCount > 1} />
      ))}
      {single ? <ChapterNavigation work={work} chapter={single} /> : null}
      {work.endNotes && onLastChapter ? (
        <div class="end-notes">
          <h3 class="heading">End Notes:</h3>
          <SanitizedHtml as="blockquote" class="userstuff" html={work.endNotes} />
        </div>
      ) : null}
      {onLastChapter ? (
        <div class="afterword">
          <p>
            {work.complete ? `The end of “${work.title}”: ` : `The end of “${work.title}” so far: `}
            {formatCount(work.wordCount)} words in {work.chapterCount}{' '}
            {work.chapterCount === 1 ? 'chapter' : 'chapters'}.{' '}
            {work.complete ? 'This work is complete.' : 'This work is in progress.'}
          </p>
        </div>
      ) : null}
      <SeriesNavigation series={work.series} />
      {kudos ? (
        <KudosSection
          context={context}
          work={work}
          kudos={kudos}
          chapterId={single?.id}
          wholeWork={wholeWork}
        />
      ) : null}
      {comments ? (
        <CommentsSection
          context={context}
          section={comments}
          basePath={
            single
              ? paths.chapter(work.id, single.id)
              : work.chapterCount > 1
                ? paths.fullWork(work.id)
                : paths.work(work.id)
          }
        />
      ) : null}
    </Layout>
  );
}

export function ChapterIndexPage({ context, work }: { context: PageContext; work: WorkDetail }) {
  return (
    <Layout context={context} title={`Chapter Index for ${work.title}`}>
      <h1 class="page-title">
        Chapter Index for <a href={paths.work(work.id)}>{work.title}</a>
      </h1>
      <ol class="chapter-index">
        {work.chapters.map((chapter) => (
          <li key={chapter.id}>
            <a href={paths.chapter(work.id, chapter.id)}>{chapterHeading(chapter)}</a>{' '}
            <span class="muted">({formatCount(chapter.wordCount)} words)</span>
          </li>
        ))}
      </ol>
    </Layout>
  );
}
