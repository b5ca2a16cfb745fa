import { paths } from '../../domain/archivePaths.ts';
import type { DataExportState } from '../../services/dataExport.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatDate } from './WorkParts.tsx';

// "Download my data": where the member's zip stands, its link while it is offered, and the button.

function kilobytes(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en')} KB`;
}

function ExportState({ username, state }: { username: string; state: DataExportState }) {
  switch (state.status) {
    case 'none':
      return <p>You have not asked for your data yet.</p>;
    case 'queued':
      return (
        <p>
          Your data is being gathered (asked for on {formatDate(state.requestedAt)}). A link will be in your
          inbox when it is ready.
        </p>
      );
    case 'ready':
      return (
        <p>
          Your data is ready:{' '}
          <a href={paths.dataExportDownload(username)} download>
            download the zip
          </a>{' '}
          ({kilobytes(state.byteSize)}). It is offered until {formatDate(state.expiresAt)}.
        </p>
      );
    case 'expired':
      return <p>Your last download has expired. Ask again for a fresh one.</p>;
    case 'failed':
      return (
        <p>Your data could not be gathered. Please ask again; if it fails again, tell an administrator.</p>
      );
  }
}

export function DataExportPage({
  context,
  username,
  state,
}: {
  context: PageContext;
  username: string;
  state: DataExportState;
}) {
  return (
    <Layout context={context} title="Download my data">
      <h1 class="page-title">Download my data</h1>
      <p>
        A zip of everything this archive holds about your account: your account and preferences, pseuds and
        their icons, works with their chapters, co-creator invitations not yet answered, series, comments,
        bookmarks, kudos you gave, subscriptions, reading history, inbox, muted and blocked users and API
        token names. Only you can download it, for a few days.
      </p>
      <ExportState username={username} state={state} />
      {state.status === 'queued' ? null : (
        <form class="form" method="post" action={paths.dataExport(username)}>
          <CsrfField context={context} />
          <button class="button" type="submit">
            {state.status === 'none' ? 'Ask for my data' : 'Ask for my data again'}
          </button>
        </form>
      )}
    </Layout>
  );
}
