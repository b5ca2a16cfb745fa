import { paths } from '../../domain/archivePaths.ts';
import { PREFERENCES, type Preferences } from '../../domain/preferences.ts';
import { AccountSettingsLinks } from './AccountSettingsPages.tsx';
import { Checkbox } from './forms.tsx';
import { CsrfField, Layout, type PageContext } from './Layout.tsx';
import { UserNavigation } from './UserNavigation.tsx';

export function PreferencesPage({
  context,
  username,
  preferences,
}: {
  context: PageContext;
  username: string;
  preferences: Preferences;
}) {
  return (
    <Layout context={context} title="Set My Preferences">
      <h1 class="page-title">Set My Preferences</h1>
      <UserNavigation context={context} username={username} subscriptionId={null} />
      {preferences.history_enabled ? null : (
        <div class="notice" role="note">
          Your reading history is off, so nothing new is recorded. What it already holds stays until you{' '}
          <a href={paths.clearReadings(username)}>clear your history</a>.
        </div>
      )}
      <form class="form" method="post" action={paths.preferences(username)}>
        <CsrfField context={context} />
        <fieldset>
          <legend>Preferences</legend>
          {PREFERENCES.map((preference) => (
            <Checkbox
              key={preference.name}
              name={preference.name}
              label={preference.label}
              checked={preferences[preference.name]}
              hint={preference.hint}
            />
          ))}
        </fieldset>
        <div class="actions">
          <button class="button" type="submit">
            Update
          </button>
        </div>
      </form>
      <AccountSettingsLinks username={username} />
      <section class="account-data">
        <h2>Your data and your account</h2>
        <form class="inline" method="post" action={paths.dataExport(username)}>
          <CsrfField context={context} />
          <button class="button secondary" type="submit">
            Download my data
          </button>
        </form>{' '}
        <a href={paths.dataExport(username)}>See where it stands</a>
        <ul>
          <li>
            <a href={paths.orphanAllWorks()}>Orphan all my works</a>
          </li>
          <li>
            <a href={paths.deleteAccount(username)}>Delete my account</a>
          </li>
        </ul>
      </section>
    </Layout>
  );
}
