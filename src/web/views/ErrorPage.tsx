import { paths } from '../../domain/archivePaths.ts';
import { SendConfirmationAgain } from './AccountSettingsPages.tsx';
import { Layout, type PageContext } from './Layout.tsx';

const TITLES: Record<number, string> = {
  400: 'That request could not be understood',
  401: 'Please log in',
  403: 'Not allowed',
  404: 'Page not found',
  409: 'Already exists',
  413: 'Too large',
  429: 'Too many attempts',
  500: 'Something went wrong',
};

export function ErrorPage({
  context,
  status,
  message,
  code,
}: {
  context: PageContext;
  status: number;
  message: string;
  /** The refusal's code: an account waiting for its confirmation link is offered to have it sent again. */
  code?: string;
}) {
  const title = TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]);
  return (
    <Layout context={context} title={title}>
      <div class="error-page">
        <p class="status-code">{status}</p>
        <h1 class="page-title">{title}</h1>
        <p>{message}</p>
        {code === 'email_unconfirmed' ? <SendConfirmationAgain context={context} /> : null}
        {status === 401 && !context.viewer ? (
          <p>
            <a class="button" href={paths.logIn()}>
              Log in
            </a>
          </p>
        ) : (
          <p>
            <a href={paths.home()}>Back to the archive’s front page</a>
          </p>
        )}
      </div>
    </Layout>
  );
}
