import {
  REPORT_CATEGORIES,
  REPORT_STATUSES,
  type ReportTarget,
  reportFormPath,
} from '../../domain/reports.ts';
import type { ReportFilter, ReportView } from '../../services/reports.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatDate } from './WorkParts.tsx';

/** The "Report" link on every work, chapter, comment, bookmark and user page. */
export function ReportLink({ target }: { target: ReportTarget }) {
  return (
    <a class="report-link" href={reportFormPath(target)} rel="nofollow">
      Report
    </a>
  );
}

/** What the form is about, in words. */
function targetName(target: ReportTarget): string {
  return target.kind === 'user' ? `the account ${target.login}` : `${target.kind} ${target.id}`;
}

/** The hidden field that carries the target through the form, named as the API names it. */
function TargetField({ target }: { target: ReportTarget }) {
  return target.kind === 'user' ? (
    <input type="hidden" name="user" value={target.login} />
  ) : (
    <input type="hidden" name={`${target.kind}_id`} value={String(target.id)} />
  );
}

export function NewReportPage({ context, target }: { context: PageContext; target: ReportTarget }) {
  return (
    <Layout context={context} title="Report">
      <h1 class="page-title">Report {targetName(target)}</h1>
      <p>Tell the moderators what is wrong. Reporting something already reported adds to that report.</p>
      <form method="post" action="/reports">
        <CsrfField context={context} />
        <TargetField target={target} />
        <p>
          <label for="field-category">Category</label>{' '}
          <select id="field-category" name="category">
            {Object.entries(REPORT_CATEGORIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label for="field-text">What is wrong</label>
          <textarea id="field-text" name="text" required maxLength={5000} rows={8} />
        </p>
        {context.viewer ? null : (
          <p>
            <label for="field-email">Your email address (so we can answer)</label>{' '}
            <input id="field-email" name="email" type="email" required maxLength={254} />
          </p>
        )}
        <button type="submit">Send report</button>
      </form>
    </Layout>
  );
}

function ReportActions({ context, report }: { context: PageContext; report: ReportView }) {
  if (report.status === 'resolved') return <p>Resolved: {report.resolutionNote}</p>;
  return (
    <>
      {report.status === 'open' ? (
        <form class="inline" method="post" action={`/admin/reports/${report.id}/claim`}>
          <CsrfField context={context} />
          <button type="submit">Claim</button>
        </form>
      ) : null}
      <form class="inline" method="post" action={`/admin/reports/${report.id}/resolve`}>
        <CsrfField context={context} />
        <input
          name="note"
          type="text"
          required
          maxLength={5000}
          aria-label={`Note resolving report ${report.id}`}
        />
        <button type="submit">Resolve</button>
      </form>
    </>
  );
}

export function AdminReportsPage({
  context,
  filter,
  reports,
}: {
  context: PageContext;
  filter: ReportFilter;
  reports: ReportView[];
}) {
  return (
    <Layout context={context} title="Reports">
      <h1 class="page-title">Reports</h1>
      <form method="get" action="/admin/reports">
        <label for="field-status">Status</label>{' '}
        <select id="field-status" name="status">
          <option value="">Any</option>
          {REPORT_STATUSES.map((status) => (
            <option key={status} value={status} selected={filter.status === status}>
              {status}
            </option>
          ))}
        </select>{' '}
        <label for="field-category">Category</label>{' '}
        <select id="field-category" name="category">
          <option value="">Any</option>
          {Object.entries(REPORT_CATEGORIES).map(([value, label]) => (
            <option key={value} value={value} selected={filter.category === value}>
              {label}
            </option>
          ))}
        </select>{' '}
        <button type="submit">Filter</button>
      </form>
      {reports.length === 0 ? (
        <p class="empty">No report matches.</p>
      ) : (
        reports.map((report) => (
          <section key={report.id} id={`report_${report.id}`} class="report">
            <h2>
              {`Report ${report.id}: ${report.targetKind} ${report.targetId}`} ({report.category},{' '}
              {report.status}
              {report.claimedBy ? `, claimed by ${report.claimedBy}` : ''})
            </h2>
            <ul>
              {report.messages.map((message) => (
                <li key={message.createdAt + message.reporter}>
                  {`${formatDate(message.createdAt)}, ${message.reporter}: `}
                  {message.text}
                </li>
              ))}
            </ul>
            <ReportActions context={context} report={report} />
          </section>
        ))
      )}
    </Layout>
  );
}
