import { paths } from '../../domain/archivePaths.ts';
import { API_TOKEN_SCOPES, type ApiTokenEntry, type NewApiToken } from '../../services/apiTokens.ts';
import { Choices, ErrorSummary, type FieldErrors, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { formatDate } from './WorkParts.tsx';

/** A moment to the minute, or what to say when there is none. */
function When({ iso, never }: { iso: string | null; never: string }) {
  if (!iso) return never;
  return <time datetime={iso}>{`${formatDate(iso)} ${iso.slice(11, 16)} UTC`}</time>;
}

export function TokensPage({
  context,
  tokens,
  newToken,
  form,
}: {
  context: PageContext;
  tokens: ApiTokenEntry[];
  /** The token just made, whose secret this page shows once. */
  newToken?: NewApiToken;
  form?: { values: Record<string, string>; message?: string; errors?: FieldErrors };
}) {
  return (
    <Layout context={context} title="API tokens">
      <h1 class="page-title">API tokens</h1>
      <p>
        A token lets a program use the archive’s JSON API as you: send it as{' '}
        <code>Authorization: Bearer TOKEN</code>. The API is described at{' '}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>. A read-only token can only read; a read-write
        one can do whatever you can. Revoking a token stops it at once.
      </p>
      {newToken ? (
        <div class="notice" role="status">
          <p>
            Your new {newToken.scope} token “{newToken.name}” (shown only this once; keep it somewhere safe):
          </p>
          <p>
            <code class="token">{newToken.secret}</code>
          </p>
        </div>
      ) : null}
      <h2>Your tokens</h2>
      {tokens.length === 0 ? (
        <p class="empty">You have no API tokens.</p>
      ) : (
        <table class="tokens">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Scope</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span class="visually-hidden">Revoke</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((token) => (
              <tr key={token.id} id={`token_${token.id}`}>
                <td>{token.name}</td>
                <td>{token.scope}</td>
                <td>
                  <When iso={token.createdAt} never="" />
                </td>
                <td>
                  <When iso={token.lastUsedAt} never="Never" />
                </td>
                <td>
                  <form class="inline" method="post" action={paths.revokeToken(token.id)}>
                    <CsrfField context={context} />
                    <button class="link-button" type="submit" aria-label={`Revoke ${token.name}`}>
                      Revoke
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Make a token</h2>
      <form class="form" method="post" action={paths.tokens()}>
        <CsrfField context={context} />
        <ErrorSummary message={form?.message} fields={form?.errors} />
        <TextField
          name="name"
          label="What the token is for"
          value={form?.values.name}
          errors={form?.errors}
          hint="For example: my e-reader sync script."
          maxLength={100}
        />
        <Choices
          name="scope"
          legend="What it may do"
          type="radio"
          options={API_TOKEN_SCOPES}
          checked={[form?.values.scope || 'read-only']}
          errors={form?.errors}
        />
        <div class="actions">
          <button class="button" type="submit">
            Create a token
          </button>
        </div>
      </form>
    </Layout>
  );
}
