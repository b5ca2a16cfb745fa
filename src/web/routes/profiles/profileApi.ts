import { getProfile, updateProfile } from '../../../services/profiles.ts';
import { type ApiApp, refusals, requireToken, tokenSecurity } from '../../api/apiContract.ts';
import { archiveSite, type WebDependencies } from '../../context.ts';
import { loginParams, profileBody, profileJson, profileSchema } from './profileSchemas.ts';

export function registerProfileApi(api: ApiApp, { config, archive }: WebDependencies): void {
  const db = archive.db;

  api.get(
    '/users/:login',
    {
      schema: {
        summary: 'A user’s profile: about text, join date, pseuds and counts of what you may open',
        params: loginParams,
        response: { 200: profileSchema, ...refusals(404) },
      },
    },
    async (request) =>
      profileJson(
        await getProfile(db, request.viewer, request.params.login),
        archiveSite(config, request).origin,
      ),
  );

  api.patch(
    '/users/:login/profile',
    {
      schema: {
        summary: 'Change your own profile’s about text',
        security: tokenSecurity,
        params: loginParams,
        body: profileBody,
        response: { 200: profileSchema, ...refusals(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const viewer = requireToken(request);
      const { username } = await updateProfile(db, viewer, request.params.login, request.body);
      return profileJson(await getProfile(db, viewer, username), archiveSite(config, request).origin);
    },
  );
}
