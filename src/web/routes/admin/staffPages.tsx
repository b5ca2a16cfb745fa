import type { FastifyInstance } from 'fastify';
import { staffPaths } from '../../../domain/staffPaths.ts';
import { listAuditLog } from '../../../services/auditLog.ts';
import { ValidationError } from '../../../services/errors.ts';
import { changeRole, listStaffRoles } from '../../../services/staffRoles.ts';
import { pageContext, parsePage, requireViewer, setNotice, type WebDependencies } from '../../context.ts';
import { formText } from '../../formInput.ts';
import { sendPage } from '../../views/render.tsx';
import { AdminUsersPage, AuditLogPage } from '../../views/StaffPages.tsx';

const LOG_IN_FIRST = 'Log in as an administrator to manage users.';

/** The grant's outcome in words, for the notice after the form. */
const OUTCOMES = {
  granted: (username: string, role: string) => `${username} now has the ${role} role.`,
  revoked: (username: string, role: string) => `${username} no longer has the ${role} role.`,
  unchanged: (username: string, role: string) =>
    `Nothing changed: ${username}’s ${role} role was already so.`,
};

/** /admin/users (roles) and /admin/audit; the services decide who may use them, on every request. */
export function registerStaffRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  app.get(staffPaths.adminUsers(), async (request, reply) => {
    const viewer = requireViewer(request, LOG_IN_FIRST);
    const search = formText(request.query, 'q').trim();
    return sendPage(
      reply,
      <AdminUsersPage
        context={pageContext(request, reply, config)}
        search={search}
        users={await listStaffRoles(archive.db, viewer, search)}
      />,
    );
  });

  app.post('/admin/users/:login/roles', async (request, reply) => {
    const viewer = requireViewer(request, LOG_IN_FIRST);
    const login = (request.params as { login: string }).login;
    const granted = formText(request.body, 'granted');
    if (granted !== 'true' && granted !== 'false')
      throw new ValidationError('Say whether to grant the role (granted=true) or revoke it (granted=false).');
    const role = formText(request.body, 'role');
    const { username, change } = await changeRole(archive, viewer, {
      login,
      role,
      granted: granted === 'true',
      reason: formText(request.body, 'reason'),
    });
    setNotice(reply, config, OUTCOMES[change](username, role));
    return reply.redirect(staffPaths.adminUsers(username), 303);
  });

  app.get(staffPaths.adminAudit(), async (request, reply) => {
    const viewer = requireViewer(request, 'Log in as an administrator or moderator to read the audit log.');
    const log = await listAuditLog(archive.db, viewer, parsePage((request.query as { page?: unknown }).page));
    return sendPage(reply, <AuditLogPage context={pageContext(request, reply, config)} {...log} />);
  });
}
