// A reader's on/off preferences, each a flag column of the same name on users. The preferences page and
// the service read this one list, so a new preference is one more entry here.

export interface PreferenceDefinition {
  name: string;
  label: string;
  hint: string;
}

export const PREFERENCES = [
  {
    name: 'email_notifications',
    label: 'Email me about subscriptions and comments',
    hint: 'Everything still arrives in your inbox on the archive; this only decides whether it is also emailed.',
  },
  {
    name: 'history_enabled',
    label: 'Keep my reading history',
    hint: 'Remember the works you read while logged in and where you stopped. Only you can see your history.',
  },
] as const satisfies readonly PreferenceDefinition[];

export type PreferenceName = (typeof PREFERENCES)[number]['name'];

export type Preferences = Record<PreferenceName, boolean>;
