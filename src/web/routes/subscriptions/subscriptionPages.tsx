import type { FastifyInstance } from 'fastify';
import { paths } from '../../../domain/archivePaths.ts';
import { ConflictError } from '../../../services/errors.ts';
import {
  listSubscriptions,
  parseSubscriptionTarget,
  type SubscriptionTarget,
  subscribe,
  unsubscribe,
} from '../../../services/subscriptions.ts';
import {
  pageContext,
  requireViewer,
  routeId,
  routeUser,
  setNotice,
  type WebDependencies,
} from '../../context.ts';
import { formText } from '../../formInput.ts';
import { sendPage } from '../../views/render.tsx';
import { SubscriptionsPage } from '../../views/SubscriptionsPage.tsx';

export function registerSubscriptionRoutes(app: FastifyInstance, { config, archive }: WebDependencies): void {
  const db = archive.db;

  /** Where a subscribe button sat, for going back there (a creator's page is known by their name). */
  function targetPath(target: SubscriptionTarget, login: string): string {
    if ('workId' in target) return paths.work(target.workId);
    if ('seriesId' in target) return paths.series(target.seriesId);
    return paths.userWorks(login);
  }

  app.post(paths.subscribe(), async (request, reply) => {
    const viewer = requireViewer(request, 'Log in to subscribe.');
    const target = await parseSubscriptionTarget(db, request.body);
    try {
      const subscription = await subscribe(db, viewer, target);
      setNotice(reply, config, `You are now subscribed to ${subscription.name}.`);
      return reply.redirect(subscription.path, 303);
    } catch (error) {
      // A second click on Subscribe finds the first one done: that is what the reader wanted.
      if (!(error instanceof ConflictError)) throw error;
      setNotice(reply, config, 'You are already subscribed.');
      return reply.redirect(targetPath(target, formText(request.body, 'user')), 303);
    }
  });

  app.post('/subscriptions/:id/delete', async (request, reply) => {
    const viewer = requireViewer(request, 'Log in to change your subscriptions.');
    const subscription = await unsubscribe(db, viewer, routeId(request));
    setNotice(reply, config, `You have unsubscribed from ${subscription.name}.`);
    const fromList = formText(request.body, 'return_to') === 'list';
    return reply.redirect(fromList ? paths.userSubscriptions(viewer.username) : subscription.path, 303);
  });

  app.get('/users/:login/subscriptions', async (request, reply) => {
    const user = await routeUser(db, request);
    const subscriptions = await listSubscriptions(db, request.viewer, user.id);
    return sendPage(
      reply,
      <SubscriptionsPage
        context={pageContext(request, reply, config)}
        username={user.username}
        subscriptions={subscriptions}
      />,
    );
  });
}
