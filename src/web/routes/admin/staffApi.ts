import { z } from 'zod';
import { listAuditLog } from '../../../services/auditLog.ts';
import { changeRole, listStaffRoles } from '../../../services/staffRoles.ts';
import { type ApiApp, pageParameter, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import type { WebDependencies } from '../../context.ts';
import { loginParams } from '../profiles/profileSchemas.ts';
import {
  auditEntryJson,
  auditLogSchema,
  roleChangeAnswer,
  roleChangeBody,
  staffUserListSchema,
  staffUserQuery,
} from './staffSchemas.ts';

export function registerStaffApi(api: ApiApp, { archive }: WebDependencies): void {
  api.get(
    '/admin/users',
    {
      schema: {
        summary: 'Accounts and their staff roles (administrators only)',
        security: tokenSecurity,
        querystring: staffUserQuery,
        response: { 200: staffUserListSchema, ...refusals(401, 403) },
      },
    },
    async (request) => ({
      users: await listStaffRoles(archive.db, requireToken(request), request.query.q?.trim() ?? ''),
    }),
  );

  api.put(
    '/admin/users/:login/roles',
    {
      schema: {
        summary: 'Grant or revoke a staff role; recorded in the audit log',
        description:
          'Administrators grant and revoke every role, moderators the wrangler role; nobody changes the roles ' +
          'of an account above their own (403), and the last administrator cannot be revoked (409).',
        security: tokenSecurity,
        params: loginParams,
        body: roleChangeBody,
        response: { 200: roleChangeAnswer, ...refusals(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      changeRole(archive, requireToken(request), { login: request.params.login, ...request.body }),
  );

  api.get(
    '/admin/audit',
    {
      schema: {
        summary: 'The audit log of staff actions, newest first (administrators and moderators)',
        security: tokenSecurity,
        querystring: z.object({ page: pageParameter() }),
        response: { 200: auditLogSchema, ...refusals(401, 403) },
      },
    },
    async (request) => {
      const log = await listAuditLog(archive.db, requireToken(request), request.query.page);
      return { ...log, entries: log.entries.map(auditEntryJson) };
    },
  );
}
