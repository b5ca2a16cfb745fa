import type { ComponentChildren } from 'preact';
import type { RegistrationMode } from '../../config.ts';
import { paths } from '../../domain/archivePaths.ts';
import { canWrangle, type Viewer } from '../../domain/permissions.ts';
import { staffPaths } from '../../domain/staffPaths.ts';

export interface PageContext {
  viewer: Viewer | null;
  csrfToken: string;
  archiveName: string;
  notice?: string;
  /** Unread inbox items, shown on the header's inbox link. */
  unreadCount?: number;
  /** Whether, and how, newcomers may make an account: pages offer it only as it is. */
  registration: RegistrationMode;
}

/** A form field that proves the form came from this archive (checked on every state-changing POST). */
export function CsrfField({ context }: { context: PageContext }) {
  return <input type="hidden" name="_csrf" value={context.csrfToken} />;
}

/**
 * The way in for a guest, as the archive's registration allows: by invitation it says so, and when
 * registration is closed there is none, so no page offers what the archive would refuse.
 */
export function SignUpLink({ context, label }: { context: PageContext; label: string }) {
  if (context.viewer || context.registration === 'closed') return null;
  return (
    <a href={paths.signUp()}>{context.registration === 'invite' ? 'Sign up with an invitation' : label}</a>
  );
}

export function Layout({
  context,
  title,
  children,
  headExtra,
}: {
  context: PageContext;
  title: string;
  children: ComponentChildren;
  headExtra?: ComponentChildren;
}) {
  const { viewer } = context;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} | ${context.archiveName}`}</title>
        <link rel="stylesheet" href="/assets/quire.css" />
        <script src="/assets/tagAutocomplete.js" defer />
        {headExtra}
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <header class="site-header">
          <div class="site-header-inner">
            <a class="site-name" href={paths.home()}>
              {context.archiveName}
            </a>
            <nav class="site-nav" aria-label="Site">
              <ul>
                <li>
                  <a href={paths.works()}>Works</a>
                </li>
                <li>
                  <a href={paths.fandoms()}>Fandoms</a>
                </li>
                <li>
                  <a href={paths.workSearch()}>Search</a>
                </li>
                {viewer ? (
                  <>
                    <li>
                      <a href={paths.newWork()}>Post</a>
                    </li>
                    {viewer.isAdmin ? (
                      <li>
                        <a href={paths.adminImport()}>Import</a>
                      </li>
                    ) : null}
                    {viewer.isModerator ? (
                      <li>
                        <a href={viewer.isAdmin ? staffPaths.adminUsers() : staffPaths.adminAudit()}>Admin</a>
                      </li>
                    ) : null}
                    {canWrangle(viewer) ? (
                      <li>
                        <a href={paths.tagWranglings()}>Wrangling</a>
                      </li>
                    ) : null}
                    <li>
                      <a class="inbox-link" href={paths.inbox(viewer.username)}>
                        {context.unreadCount ? `Inbox (${context.unreadCount})` : 'Inbox'}
                      </a>
                    </li>
                    <li>
                      <a href={paths.userWorks(viewer.username)}>{viewer.username}</a>
                    </li>
                    <li>
                      <form class="inline" method="post" action={paths.logOut()}>
                        <CsrfField context={context} />
                        <button class="link-button" type="submit">
                          Log out
                        </button>
                      </form>
                    </li>
                  </>
                ) : (
                  <>
                    <li>
                      <a href={paths.logIn()}>Log in</a>
                    </li>
                    {context.registration === 'closed' ? null : (
                      <li>
                        <SignUpLink context={context} label="Sign up" />
                      </li>
                    )}
                  </>
                )}
              </ul>
            </nav>
          </div>
        </header>
        <main id="main" class="page">
          {context.notice ? (
            <div class="notice" role="status">
              {context.notice}
            </div>
          ) : null}
          {children}
        </main>
        <footer class="site-footer">
          <p>
            Powered by Quire, the self-hostable fan-fiction archive · <a href="/api/v1/openapi.json">API</a>
          </p>
        </footer>
      </body>
    </html>
  );
}
