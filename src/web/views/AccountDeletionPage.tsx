import { ORPHAN_ACCOUNT } from '../../domain/orphanAccount.ts';
import type { FieldErrors } from './forms.tsx';
import { Checkbox, ErrorSummary, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';

// Deleting an account: what goes, what stays, a choice for the works, and the password to confirm.

export function AccountDeletionPage({
  context,
  username,
  action,
  cancel,
  works = 'orphan',
  error,
}: {
  context: PageContext;
  username: string;
  action: string;
  cancel: string;
  works?: string;
  error?: { message: string; fields: FieldErrors };
}) {
  return (
    <Layout context={context} title="Delete your account">
      <h1 class="page-title">Delete your account, {username}</h1>
      <ErrorSummary message={error?.message} fields={error?.fields} />
      <div class="notice" role="note">
        <p>This cannot be undone. When your account is deleted:</p>
        <ul>
          <li>
            your bookmarks, reading history, subscriptions, inbox, mutes, blocks, API tokens and sessions are
            deleted;
          </li>
          <li>your kudos still count, but no longer show your name;</li>
          <li>your comments stay, signed “a deleted account”;</li>
          <li>your drafts are deleted, and your posted works are orphaned or deleted as you choose below.</li>
        </ul>
      </div>
      <form class="form" method="post" action={action}>
        <CsrfField context={context} />
        <fieldset class="field">
          <legend>Your posted works and series</legend>
          <label class="choice">
            <input type="radio" name="works" value="orphan" checked={works !== 'delete'} /> Orphan them: they
            stay on the archive, credited to {ORPHAN_ACCOUNT.username}
          </label>
          <label class="choice">
            <input type="radio" name="works" value="delete" checked={works === 'delete'} /> Delete them, with
            their comments, kudos and bookmarks
          </label>
        </fieldset>
        <Checkbox
          name="keep_pseud"
          label="When orphaning, keep my pseuds' names on the works"
          checked={false}
          hint="They become pseuds of orphan_account: readers still see the names, which no longer lead to an account."
        />
        <TextField
          name="password"
          label="Your password"
          type="password"
          required
          autocomplete="current-password"
          errors={error?.fields}
        />
        <div class="actions">
          <button class="button danger" type="submit">
            Delete my account
          </button>
          <a class="button secondary" href={cancel}>
            Cancel
          </a>
        </div>
      </form>
    </Layout>
  );
}
