import { staffPaths } from '../../domain/staffPaths.ts';
import { STAFF_ROLES, type StaffRole } from '../../domain/staffPolicy.ts';
import type { AuditEntry } from '../../services/auditLog.ts';
import type { StaffListEntry } from '../../services/staffRoles.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatDate, Pagination } from './WorkParts.tsx';

const ROLE_NAMES: Record<StaffRole, string> = {
  administrator: 'Administrator',
  moderator: 'Moderator',
  wrangler: 'Tag wrangler',
};

/** One grant or revoke button, with the reason the audit log keeps. */
function RoleForm({ context, user, role }: { context: PageContext; user: StaffListEntry; role: StaffRole }) {
  const holds = user.roles.includes(role);
  const label = `${holds ? 'Revoke' : 'Grant'} ${ROLE_NAMES[role].toLowerCase()}`;
  return (
    <form class="inline" method="post" action={staffPaths.adminUserRoles(user.username)}>
      <CsrfField context={context} />
      <input type="hidden" name="role" value={role} />
      <input type="hidden" name="granted" value={holds ? 'false' : 'true'} />
      <input
        name="reason"
        type="text"
        maxLength={1000}
        placeholder="Reason (optional)"
        aria-label={`Reason to ${label.toLowerCase()} for ${user.username}`}
      />
      <button type="submit" aria-label={`${label} for ${user.username}`}>
        {label}
      </button>
    </form>
  );
}

export function AdminUsersPage({
  context,
  search,
  users,
}: {
  context: PageContext;
  search: string;
  users: StaffListEntry[];
}) {
  return (
    <Layout context={context} title="Manage users">
      <h1 class="page-title">Manage users</h1>
      <p>
        Grant and revoke staff roles. Every change is written to the{' '}
        <a href={staffPaths.adminAudit()}>audit log</a> with the reason you give.
      </p>
      <form method="get" action={staffPaths.adminUsers()}>
        <label for="field-q">Username starts with</label>{' '}
        <input id="field-q" name="q" type="search" value={search} /> <button type="submit">Find</button>
      </form>
      {users.length === 0 ? (
        <p class="empty">No account’s username starts with that.</p>
      ) : (
        <table class="staff-users">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Roles</th>
              <th scope="col">Change</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id} id={`user_${user.id}`}>
                <td>{user.username}</td>
                <td>{user.roles.map((role) => ROLE_NAMES[role]).join(', ') || 'User'}</td>
                <td>
                  {STAFF_ROLES.map((role) => (
                    <RoleForm key={role} context={context} user={user} role={role} />
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function AuditLogPage({
  context,
  entries,
  page,
  pages,
}: {
  context: PageContext;
  entries: AuditEntry[];
  page: number;
  pages: number;
}) {
  return (
    <Layout context={context} title="Audit log">
      <h1 class="page-title">Audit log</h1>
      <p>Every staff action, newest first. Nobody can change or remove an entry.</p>
      {entries.length === 0 ? (
        <p class="empty">No staff action yet.</p>
      ) : (
        <table class="audit-log">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">On</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} id={`audit_${entry.id}`}>
                <td>
                  <time
                    datetime={entry.createdAt}
                  >{`${formatDate(entry.createdAt)} ${entry.createdAt.slice(11, 16)} UTC`}</time>
                </td>
                <td>{entry.actorName}</td>
                <td>{entry.action}</td>
                <td>{`${entry.targetKind} ${entry.targetName}`}</td>
                <td>{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={page} pages={pages} basePath={staffPaths.adminAudit()} />
    </Layout>
  );
}
