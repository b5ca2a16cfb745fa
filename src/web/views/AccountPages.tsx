import type { RegistrationMode } from '../../config.ts';
import { paths } from '../../domain/archivePaths.ts';
import { ErrorSummary, type FieldErrors, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext, SignUpLink } from './Layout.tsx';

export interface FormState {
  values: Record<string, string>;
  message?: string;
  errors?: FieldErrors;
}

export function SignUpPage({
  context,
  mode,
  form,
}: {
  context: PageContext;
  mode: RegistrationMode;
  form: FormState;
}) {
  return (
    <Layout context={context} title="Create an account">
      <h1 class="page-title">Create an account</h1>
      {mode === 'closed' ? (
        <p class="notice">This archive is not accepting new accounts at the moment.</p>
      ) : (
        <form class="form" method="post" action={paths.signUp()}>
          <CsrfField context={context} />
          <ErrorSummary message={form.message} fields={form.errors} />
          <TextField
            name="username"
            label="Username"
            value={form.values.username}
            errors={form.errors}
            required
            autocomplete="username"
            maxLength={40}
            hint="3 to 40 letters, digits or underscores. Your works are credited to this name."
          />
          <TextField
            name="email"
            label="Email"
            type="email"
            value={form.values.email}
            errors={form.errors}
            required
            autocomplete="email"
          />
          <TextField
            name="password"
            label="Password"
            type="password"
            errors={form.errors}
            required
            autocomplete="new-password"
            hint="At least 8 characters."
          />
          {mode === 'invite' ? (
            <TextField
              name="invitation"
              label="Invitation code"
              value={form.values.invitation}
              errors={form.errors}
              required
              hint="This archive is invitation-only; enter the code you were sent."
            />
          ) : null}
          <div class="actions">
            <button class="button" type="submit">
              Create account
            </button>
          </div>
          <p>
            Already have an account? <a href={paths.logIn()}>Log in</a>.
          </p>
        </form>
      )}
    </Layout>
  );
}

export function LogInPage({
  context,
  form,
  returnTo,
}: {
  context: PageContext;
  form: FormState;
  returnTo?: string;
}) {
  return (
    <Layout context={context} title="Log in">
      <h1 class="page-title">Log in</h1>
      <form class="form" method="post" action={paths.logIn()}>
        <CsrfField context={context} />
        {returnTo ? <input type="hidden" name="return_to" value={returnTo} /> : null}
        <ErrorSummary message={form.message} fields={form.errors} />
        <TextField
          name="login"
          label="Username or email"
          value={form.values.login}
          errors={form.errors}
          required
          autocomplete="username"
        />
        <TextField
          name="password"
          label="Password"
          type="password"
          errors={form.errors}
          required
          autocomplete="current-password"
        />
        <div class="actions">
          <button class="button" type="submit">
            Log in
          </button>
        </div>
        <p>
          <a href={paths.forgotPassword()}>Forgot password?</a>
        </p>
        {context.registration === 'closed' ? null : (
          <p>
            New here? <SignUpLink context={context} label="Create an account" />.
          </p>
        )}
      </form>
    </Layout>
  );
}
