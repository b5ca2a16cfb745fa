import type { ComponentChildren } from 'preact';
import { paths } from '../../domain/archivePaths.ts';
import type { FormState } from './AccountPages.tsx';
import { ErrorSummary, TextField } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { UserNavigation } from './UserNavigation.tsx';

// Recovering an account (forgot password, confirmation links) and changing it (password, email,
// username): AO3's pages at AO3's addresses.

/** What a reader is told about their API tokens whenever their password changes. */
export const TOKENS_KEPT =
  'Your API tokens still work; revoke them at /tokens if you think someone else had your password.';

export function ForgotPasswordPage({ context, form }: { context: PageContext; form: FormState }) {
  return (
    <Layout context={context} title="Forgotten your password?">
      <h1 class="page-title">Forgotten your password?</h1>
      <p>
        Enter your username or the email address of your account, and we will send a link to choose a new
        password. The link works once, for 24 hours.
      </p>
      <form class="form" method="post" action={paths.requestPasswordReset()}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={form.errors} />
        <TextField
          name="login"
          label="Username or email"
          value={form.values.login}
          errors={form.errors}
          required
          autocomplete="username"
          maxLength={254}
        />
        <div class="actions">
          <button class="button" type="submit">
            Reset password
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function ResetPasswordPage({
  context,
  token,
  username,
  form,
}: {
  context: PageContext;
  token: string;
  username: string;
  form: FormState;
}) {
  return (
    <Layout context={context} title="Choose a new password">
      <h1 class="page-title">Choose a new password</h1>
      <p>
        For the account {username}. Every session of the account will be logged out, then you will be logged
        in here.
      </p>
      <form class="form" method="post" action={paths.resetPassword()}>
        <CsrfField context={context} />
        <input type="hidden" name="reset_password_token" value={token} />
        <ErrorSummary message={form.message} fields={form.errors} />
        <NewPasswordFields errors={form.errors} />
        <div class="actions">
          <button class="button" type="submit">
            Set new password
          </button>
        </div>
      </form>
    </Layout>
  );
}

function NewPasswordFields({ errors }: { errors: FormState['errors'] }) {
  return (
    <>
      <TextField
        name="password"
        label="New password"
        type="password"
        errors={errors}
        required
        autocomplete="new-password"
        hint="At least 8 characters."
      />
      <TextField
        name="password_confirmation"
        label="Confirm new password"
        type="password"
        errors={errors}
        required
        autocomplete="new-password"
      />
    </>
  );
}

/** After signing up with confirmation on, and where an account waiting for its link asks for it again. */
export function CheckEmailPage({ context, awaiting }: { context: PageContext; awaiting: boolean }) {
  return (
    <Layout context={context} title="Check your email">
      <h1 class="page-title">Check your email to confirm your account</h1>
      <p>
        We sent a link to the address you signed up with. Follow it to confirm the address: until then you can
        log in, read and leave kudos, but not post works, chapters or comments.
      </p>
      {awaiting ? <SendConfirmationAgain context={context} /> : null}
      {context.viewer ? null : (
        <p>
          Already confirmed? <a href={paths.logIn()}>Log in</a>.
        </p>
      )}
    </Layout>
  );
}

/** The button that mails a waiting account its confirmation link again (also on the 403 page). */
export function SendConfirmationAgain({ context }: { context: PageContext }) {
  return (
    <form class="form" method="post" action={paths.confirmation()}>
      <CsrfField context={context} />
      <p>No mail? Look in your spam folder, or:</p>
      <div class="actions">
        <button class="button" type="submit">
          Send the confirmation mail again
        </button>
      </div>
    </form>
  );
}

export function LinkFollowedPage({ context, message }: { context: PageContext; message: string }) {
  return (
    <Layout context={context} title="Email address confirmed">
      <h1 class="page-title">Email address confirmed</h1>
      <p role="status">{message}</p>
      <p>
        {context.viewer ? <a href={paths.newWork()}>Post a new work</a> : <a href={paths.logIn()}>Log in</a>}
      </p>
    </Layout>
  );
}

function AccountChangeForm({
  context,
  username,
  title,
  action,
  form,
  intro,
  submit,
  children,
}: {
  context: PageContext;
  username: string;
  title: string;
  action: string;
  form: FormState;
  intro: ComponentChildren;
  submit: string;
  children: ComponentChildren;
}) {
  return (
    <Layout context={context} title={title}>
      <h1 class="page-title">{title}</h1>
      <UserNavigation context={context} username={username} subscriptionId={null} />
      <p>{intro}</p>
      <form class="form" method="post" action={action}>
        <CsrfField context={context} />
        <ErrorSummary message={form.message} fields={form.errors} />
        {children}
        <TextField
          name="current_password"
          label="Current password"
          type="password"
          errors={form.errors}
          required
          autocomplete="current-password"
        />
        <div class="actions">
          <button class="button" type="submit">
            {submit}
          </button>
        </div>
      </form>
      <p>
        <a href={paths.preferences(username)}>Back to your preferences</a>
      </p>
    </Layout>
  );
}

export function ChangePasswordPage(props: { context: PageContext; username: string; form: FormState }) {
  return (
    <AccountChangeForm
      {...props}
      title="Change my password"
      action={paths.changePassword(props.username)}
      submit="Change password"
      intro={`Every other session of your account will be logged out; this one stays. ${TOKENS_KEPT}`}
    >
      <NewPasswordFields errors={props.form.errors} />
    </AccountChangeForm>
  );
}

export function ChangeEmailPage(props: {
  context: PageContext;
  username: string;
  email: string;
  form: FormState;
}) {
  return (
    <AccountChangeForm
      {...props}
      title="Change my email"
      action={paths.changeEmail(props.username)}
      submit="Change email"
      intro={`Your address is ${props.email}. We will send a link to the new address, and the change happens when it is followed; your current address is told of it.`}
    >
      <TextField
        name="email"
        label="New email"
        type="email"
        value={props.form.values.email}
        errors={props.form.errors}
        required
        autocomplete="email"
        maxLength={254}
      />
    </AccountChangeForm>
  );
}

export function ChangeUsernamePage(props: { context: PageContext; username: string; form: FormState }) {
  return (
    <AccountChangeForm
      {...props}
      title="Change my username"
      action={paths.changeUsername(props.username)}
      submit="Change username"
      intro="You can change your username once a week. For four weeks your old addresses (/users/OLD/…) lead to the new ones, and nobody else can take the old name."
    >
      <TextField
        name="username"
        label="New username"
        value={props.form.values.username}
        errors={props.form.errors}
        required
        autocomplete="username"
        maxLength={40}
        hint="3 to 40 letters, digits or underscores."
      />
    </AccountChangeForm>
  );
}

/** The links from the preferences page to the account's settings. */
export function AccountSettingsLinks({ username }: { username: string }) {
  return (
    <nav aria-label="Account settings">
      <h2>Account</h2>
      <ul>
        <li>
          <a href={paths.changeUsername(username)}>Change username</a>
        </li>
        <li>
          <a href={paths.changePassword(username)}>Change password</a>
        </li>
        <li>
          <a href={paths.changeEmail(username)}>Change email</a>
        </li>
      </ul>
    </nav>
  );
}
