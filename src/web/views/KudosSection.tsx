import { Fragment } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import type { KudosList } from '../../services/kudos.ts';
import type { WorkDetail } from '../../services/works.ts';
import { CsrfField, type PageContext } from './Layout.tsx';
import { formatCount } from './WorkParts.tsx';

/** How many members a work page names; the rest are counted (the API lists them all). */
export const KUDOS_NAMES_SHOWN = 100;

/** "ann, bo and 3 guests left kudos on this work!" — kudos.js writes the same sentence after a click. */
function KudosSentence({ kudos }: { kudos: KudosList }) {
  if (kudos.count === 0) return null;
  const parts = [
    ...kudos.users.map((username) => (
      <a key={username} href={paths.user(username)}>
        {username}
      </a>
    )),
    ...(kudos.moreUsers > 0
      ? [`${formatCount(kudos.moreUsers)} more ${kudos.moreUsers === 1 ? 'user' : 'users'}`]
      : []),
    ...(kudos.guests > 0 ? [`${formatCount(kudos.guests)} ${kudos.guests === 1 ? 'guest' : 'guests'}`] : []),
  ];
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index === 0 ? '' : index === parts.length - 1 ? ' and ' : ', '}
          {part}
        </Fragment>
      ))}{' '}
      left kudos on this work!
    </>
  );
}

/** The kudos button and who left kudos, after a work's text. */
export function KudosSection({
  context,
  work,
  kudos,
  chapterId,
  wholeWork,
}: {
  context: PageContext;
  work: WorkDetail;
  kudos: KudosList;
  /** The chapter page the reader is on, to come back to after a kudos without JavaScript. */
  chapterId?: number;
  wholeWork: boolean;
}) {
  if (work.draft) return null;
  const ownWork =
    context.viewer !== null && work.creators.some((creator) => creator.userId === context.viewer?.id);
  return (
    <section class="kudos" id="kudos" aria-label="Kudos">
      {ownWork ? null : (
        <form class="kudos-form" method="post" action={paths.kudos(work.id)} data-kudos-form>
          <CsrfField context={context} />
          {chapterId !== undefined ? (
            <input type="hidden" name="chapter_id" value={String(chapterId)} />
          ) : null}
          {wholeWork ? <input type="hidden" name="view_full_work" value="true" /> : null}
          <button class="button kudos-button" type="submit">
            Kudos ♥
          </button>
          <span class="kudos-message" role="status" data-kudos-message />
        </form>
      )}
      <p class="kudos-list" data-kudos-list>
        <KudosSentence kudos={kudos} />
      </p>
      {ownWork ? null : <script src="/assets/kudos.js" defer />}
    </section>
  );
}
