import { paths } from '../../domain/archivePaths.ts';
import type { ChapterContent } from '../../services/chapters.ts';
import type { ReadingMark } from '../../services/readings.ts';
import type { WorkDetail } from '../../services/works.ts';
import { CsrfField, type PageContext } from './Layout.tsx';

/** The Mark for Later / Mark as Read button on a work, which brings the reader back where they were. */
export function MarkForLaterButton({
  context,
  work,
  reading,
  chapter,
  wholeWork,
}: {
  context: PageContext;
  work: WorkDetail;
  /** Absent for guests and creators, who have no history of the work. */
  reading: ReadingMark | null | undefined;
  chapter: ChapterContent | undefined;
  wholeWork: boolean;
}) {
  if (!reading) return null;
  const returnTo = wholeWork
    ? paths.fullWork(work.id)
    : chapter
      ? paths.chapter(work.id, chapter.id)
      : paths.work(work.id);
  return (
    <ul class="work-actions" aria-label="Reading">
      <li>
        <form
          class="inline"
          method="post"
          action={reading.markedForLater ? paths.markAsRead(work.id) : paths.markForLater(work.id)}
        >
          <CsrfField context={context} />
          <input type="hidden" name="return_to" value={returnTo} />
          <button type="submit">{reading.markedForLater ? 'Mark as Read' : 'Mark for Later'}</button>
        </form>
      </li>
    </ul>
  );
}
