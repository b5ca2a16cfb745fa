import { paths } from '../../domain/archivePaths.ts';
import type { ImportReport } from '../../services/imports.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';

export function ImportPage({
  context,
  report,
  message,
}: {
  context: PageContext;
  report?: ImportReport;
  message?: string;
}) {
  return (
    <Layout context={context} title="Import works">
      <h1 class="page-title">Import works from AO3 downloads</h1>
      <p>
        Upload works saved with AO3’s <em>Download</em> menu, as HTML or EPUB files, or zips of them. Each
        work keeps its original creators, dates, tags and source link, and is held by your account. Works
        imported before are skipped.
      </p>
      {message ? (
        <div class="notice error" role="alert">
          <p>{message}</p>
        </div>
      ) : null}
      {report ? (
        <div class="notice" role="status">
          <p>
            Imported {report.imported.length}, skipped {report.duplicates.length} already imported, failed{' '}
            {report.failed.length}.
          </p>
          <ul>
            {report.imported.map((entry) => (
              <li key={`i${entry.workId}`}>
                Imported <a href={paths.work(entry.workId)}>{entry.title}</a>
              </li>
            ))}
            {report.duplicates.map((entry) => (
              <li key={`d${entry.workId}`}>
                Already here: <a href={paths.work(entry.workId)}>{entry.title}</a>
              </li>
            ))}
            {report.failed.map((entry) => (
              <li key={`f${entry.label}`}>
                Failed: {entry.label}: {entry.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form class="form" method="post" action={paths.adminImport()} enctype="multipart/form-data">
        <CsrfField context={context} />
        <div class="field">
          <label for="field-files">Downloads</label>
          <input id="field-files" type="file" name="files" multiple required accept=".html,.htm,.epub,.zip" />
          <p class="hint">Up to 20 files of 20 MB each.</p>
        </div>
        <div class="actions">
          <button class="button" type="submit">
            Import
          </button>
        </div>
      </form>
    </Layout>
  );
}
