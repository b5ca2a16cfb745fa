import { paths } from '../../domain/archivePaths.ts';
import {
  type ImportReport,
  type ImportUpload,
  megabytes,
  type UploadLimits,
} from '../../services/imports.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';

function ReportList({ report }: { report: ImportReport }) {
  return (
    <>
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
    </>
  );
}

function UploadOutcome({ upload }: { upload: ImportUpload }) {
  if (upload.status === 'queued') return <p>Waiting in the queue to be imported.</p>;
  if (upload.report) return <ReportList report={upload.report} />;
  return <p>Failed: {upload.error}</p>;
}

export function ImportPage({
  context,
  limits,
  uploads,
  message,
}: {
  context: PageContext;
  limits: UploadLimits;
  uploads: ImportUpload[];
  message?: string;
}) {
  return (
    <Layout context={context} title="Import works">
      <h1 class="page-title">Import works from AO3 downloads</h1>
      <p>
        Upload works saved with AO3’s <em>Download</em> menu, as HTML or EPUB files, or zips of them. Each
        work keeps its original creators, dates, tags and source link, and is held by your account. Works
        imported before are skipped. Uploads are imported in the background; what became of each file is
        listed below.
      </p>
      {message ? (
        <div class="notice error" role="alert">
          <p>{message}</p>
        </div>
      ) : null}
      <form class="form" method="post" action={paths.adminImport()} enctype="multipart/form-data">
        <CsrfField context={context} />
        <div class="field">
          <label for="field-files">Downloads</label>
          <input id="field-files" type="file" name="files" multiple required accept=".html,.htm,.epub,.zip" />
          <p class="hint">
            Up to {limits.maxFiles} files of {megabytes(limits.maxFileBytes)} each.
          </p>
        </div>
        <div class="actions">
          <button class="button" type="submit">
            Import
          </button>
        </div>
      </form>
      {uploads.length > 0 ? (
        <section aria-labelledby="uploads-heading">
          <h2 id="uploads-heading">Your latest uploads</h2>
          <ul class="uploads">
            {uploads.map((upload) => (
              <li key={upload.id}>
                <h3>
                  {upload.fileName} ({megabytes(upload.byteSize)})
                </h3>
                <UploadOutcome upload={upload} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
