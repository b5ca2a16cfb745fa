import { paths } from '../../domain/archivePaths.ts';
import type { SubscriptionEntry, SubscriptionKind } from '../../services/subscriptions.ts';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { UserNavigation } from './UserNavigation.tsx';
import { formatDate } from './WorkParts.tsx';

const SECTIONS: { kind: SubscriptionKind; heading: string; news: string }[] = [
  { kind: 'work', heading: 'Works', news: 'new chapters' },
  { kind: 'series', heading: 'Series', news: 'new parts' },
  { kind: 'user', heading: 'Creators', news: 'new works' },
];

export function SubscriptionsPage({
  context,
  username,
  subscriptions,
}: {
  context: PageContext;
  username: string;
  subscriptions: SubscriptionEntry[];
}) {
  return (
    <Layout context={context} title="My Subscriptions">
      <h1 class="page-title">My Subscriptions</h1>
      <UserNavigation context={context} username={username} subscriptionId={null} />
      <p>
        You hear of what you subscribe to in your inbox, and by email if your{' '}
        <a href={paths.preferences(username)}>preferences</a> say so.
      </p>
      {subscriptions.length === 0 ? (
        <p class="empty">
          You have no subscriptions. Subscribe from a work, a series or a creator’s page to hear of what comes
          next.
        </p>
      ) : (
        SECTIONS.map((section) => {
          const entries = subscriptions.filter((entry) => entry.kind === section.kind);
          if (entries.length === 0) return null;
          return (
            <section key={section.kind} class="subscriptions">
              <h2 class="heading">
                {section.heading} <span class="muted">({section.news})</span>
              </h2>
              <ul class="subscription-list">
                {entries.map((entry) => (
                  <li key={entry.id}>
                    <a href={entry.path}>{entry.name}</a>{' '}
                    <span class="muted">
                      since <time datetime={entry.createdAt}>{formatDate(entry.createdAt)}</time>
                    </span>{' '}
                    <form class="inline" method="post" action={paths.unsubscribe(entry.id)}>
                      <CsrfField context={context} />
                      <input type="hidden" name="return_to" value="list" />
                      <button class="button secondary" type="submit">
                        Unsubscribe
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            </section>
          );
        })
      )}
    </Layout>
  );
}
