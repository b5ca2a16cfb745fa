import type { FastifyInstance } from 'fastify';
import { paths } from '../../domain/archivePaths.ts';
import { PREFERENCES, type Preferences } from '../../domain/preferences.ts';
import { getPreferences, updatePreferences } from '../../services/preferences.ts';
import { pageContext, routeUser, setNotice, type WebDependencies } from '../context.ts';
import { formText } from '../formInput.ts';
import { PreferencesPage } from '../views/PreferencesPage.tsx';
import { sendPage } from '../views/render.tsx';

export function registerPreferenceRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  app.get('/users/:login/preferences', async (request, reply) => {
    const user = await routeUser(db, request);
    const preferences = await getPreferences(db, request.viewer, user.id);
    return sendPage(
      reply,
      <PreferencesPage
        context={pageContext(request, reply, config)}
        username={user.username}
        preferences={preferences}
      />,
    );
  });

  app.post('/users/:login/preferences', async (request, reply) => {
    const user = await routeUser(db, request);
    // A form leaves unticked boxes out, so every preference is set: ticked on, anything else off.
    const preferences = Object.fromEntries(
      PREFERENCES.map((preference) => [preference.name, formText(request.body, preference.name) === 'on']),
    ) as Preferences;
    await updatePreferences(db, request.viewer, user.id, preferences);
    setNotice(reply, config, 'Your preferences were saved.');
    return reply.redirect(paths.preferences(user.username), 303);
  });
}
