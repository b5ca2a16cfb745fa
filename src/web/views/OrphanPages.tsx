import { paths } from '../../domain/archivePaths.ts';
import { ORPHAN_ACCOUNT } from '../../domain/orphanAccount.ts';
import type { OrphanPlan, OrphanScope } from '../../services/orphaning.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';

// AO3's orphaning confirmation: what will be handed over, that it cannot be undone, and whose name the
// byline will carry. Nothing happens until the form is sent.

/** The hidden field that names what the form orphans, as /orphans/new was asked. */
function ScopeField({ scope }: { scope: OrphanScope }) {
  if ('workId' in scope) return <input type="hidden" name="work_id" value={String(scope.workId)} />;
  if ('seriesId' in scope) return <input type="hidden" name="series_id" value={String(scope.seriesId)} />;
  return <input type="hidden" name="all_works" value="1" />;
}

export function OrphanConfirmPage({
  context,
  scope,
  plan,
  cancel,
}: {
  context: PageContext;
  scope: OrphanScope;
  plan: OrphanPlan;
  cancel: string;
}) {
  const title = 'all_works' in scope || 'allWorks' in scope ? 'Orphan all your works' : 'Orphan';
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <div class="notice" role="note">
        <p>
          Orphaning hands your works to the archive's shared <strong>{ORPHAN_ACCOUNT.username}</strong>{' '}
          account <strong>for good</strong>: you will no longer be able to edit or delete them, and you cannot
          take them back. Their comments, kudos and bookmarks stay.
        </p>
      </div>
      {plan.works.length > 0 ? (
        <>
          <h2>Works</h2>
          <ul class="orphan-works">
            {plan.works.map((work) => (
              <li key={work.id}>
                <a href={paths.work(work.id)}>{work.title}</a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.series.length > 0 ? (
        <>
          <h2>Series</h2>
          <ul class="orphan-series">
            {plan.series.map((series) => (
              <li key={series.id}>
                <a href={paths.series(series.id)}>{series.title}</a>
              </li>
            ))}
          </ul>
          <p class="hint">Your drafts in these series leave them and stay yours.</p>
        </>
      ) : null}
      <form class="form" method="post" action="/orphans">
        <CsrfField context={context} />
        <ScopeField scope={scope} />
        <fieldset class="field">
          <legend>Whose name should the works carry?</legend>
          <label class="choice">
            <input type="radio" name="keep_pseud" value="0" checked /> {ORPHAN_ACCOUNT.username} (nothing
            links them to you any more)
          </label>
          <label class="choice">
            <input type="radio" name="keep_pseud" value="1" /> My pseud's name, as a pseud of{' '}
            {ORPHAN_ACCOUNT.username} (readers still see the name, but it no longer leads to your account)
          </label>
        </fieldset>
        <div class="actions">
          <button class="button danger" type="submit">
            Yes, orphan {plan.works.length === 1 && plan.series.length === 0 ? 'it' : 'them'}
          </button>
          <a class="button secondary" href={cancel}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
