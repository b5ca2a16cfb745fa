import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

// Both dialects store the same shapes: timestamps as ISO-8601 strings (pg parsers in database.ts make
// timestamptz come back as such), flags as 0/1 integers, counts as plain numbers.
type Timestamp = string;
type Flag = number;

export interface UsersTable {
  id: Generated<number>;
  username: string;
  username_key: string;
  email: string;
  email_key: string;
  password_hash: string;
  is_admin: ColumnType<Flag, Flag | undefined, Flag>;
  created_at: Timestamp;
  history_enabled: ColumnType<Flag, Flag | undefined, Flag>;
  email_notifications: ColumnType<Flag, Flag | undefined, Flag>;
  is_wrangler: ColumnType<Flag, Flag | undefined, Flag>;
  is_moderator: ColumnType<Flag, Flag | undefined, Flag>;
  /** The profile's about text, sanitised HTML; null until the owner writes one. */
  about: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1 while a sign-up waits for its address to be confirmed: the account may log in but not post. */
  email_unconfirmed: ColumnType<Flag, Flag | undefined, Flag>;
  /** When the username last changed (a change is allowed once a week). */
  username_changed_at: ColumnType<Timestamp | null, Timestamp | null | undefined, Timestamp | null>;
}

export interface PseudsTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  name_key: string;
  is_default: Flag;
  created_at: Timestamp;
  /** Sanitised HTML; empty until the owner writes one. */
  description: ColumnType<string, string | undefined, string>;
  icon_alt_text: ColumnType<string, string | undefined, string>;
  /** The SHA-256 of the icon's bytes (its URL's version); null while the pseud has no icon. */
  icon_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A pseud's icon, already re-encoded to a small square with no metadata. */
export interface PseudIconsTable {
  pseud_id: number;
  content: Buffer;
  content_type: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  scope: ColumnType<ApiTokenScope, ApiTokenScope | undefined, ApiTokenScope>;
}

/** A read-only token can only read (GET); a read-write one may do whatever its owner may. */
export type ApiTokenScope = 'read-only' | 'read-write';

export type AccountTokenPurpose = 'password_reset' | 'email_confirmation' | 'email_change';

/** A link mailed to a member, stored as the SHA-256 of its secret; used once, then deleted. */
export interface AccountTokensTable {
  id: Generated<number>;
  user_id: number;
  purpose: AccountTokenPurpose;
  token_hash: string;
  /** For an email change: the address the account moves to when the link is followed. */
  new_email: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

/** Every name an account answers to: its current one (reserved_until null) and former ones kept for it. */
export interface UsernamesTable {
  name_key: string;
  user_id: number;
  reserved_until: Timestamp | null;
}

export interface InvitationsTable {
  id: Generated<number>;
  code_hash: string;
  created_by: number | null;
  used_by: number | null;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface WorksTable {
  id: Generated<number>;
  title: string;
  summary: string;
  notes: string;
  end_notes: string;
  language: string;
  complete: Flag;
  expected_chapters: number | null;
  restricted: Flag;
  draft: Flag;
  word_count: ColumnType<number, number | undefined, number>;
  chapter_count: ColumnType<number, number | undefined, number>;
  kudos_count: ColumnType<number, number | undefined, number>;
  comments_count: ColumnType<number, number | undefined, number>;
  bookmarks_count: ColumnType<number, number | undefined, number>;
  hits: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  /** When the work was first posted (null while it is a draft). */
  published_at: Timestamp | null;
  /** When a chapter was last added: what readers sort "updated" by. */
  updated_at: Timestamp;
  /** When anything about the work last changed: the cache key for downloads. */
  revised_at: Timestamp;
  /** Where an imported work came from (its URL on the original archive). */
  imported_from: ColumnType<string | null, string | null | undefined, string | null>;
  /** The original creators of an imported work, comma-separated, credited instead of the importer. */
  imported_creators: ColumnType<string, string | undefined, string>;
  /** Who may comment: open (guests too), registered (logged-in readers), off. */
  comment_policy: ColumnType<CommentPolicy, CommentPolicy | undefined, CommentPolicy>;
  /** New comments wait as unreviewed until a creator approves them. */
  moderate_comments: ColumnType<Flag, Flag | undefined, Flag>;
}

export type CommentPolicy = 'open' | 'registered' | 'off';

export interface WorkCreatorsTable {
  work_id: number;
  pseud_id: number;
  position: number;
}

/** A pseud invited to co-create a work; it joins work_creators only when its owner accepts. */
export interface CreatorshipInvitationsTable {
  id: Generated<number>;
  work_id: number;
  pseud_id: number;
  /** Null once the member who sent it has deleted their account. */
  invited_by: number | null;
  created_at: Timestamp;
}

export interface ChaptersTable {
  id: Generated<number>;
  work_id: number;
  position: number;
  title: string;
  summary: string;
  notes: string;
  end_notes: string;
  body: string;
  word_count: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TagsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  type: string;
  canonical: Flag;
  merger_id: number | null;
  created_at: Timestamp;
}

export interface WorkTagsTable {
  work_id: number;
  tag_id: number;
  /** The order the creator typed the tags in (main pairing first). */
  position: number;
}

export type TagParentKind = 'fandom' | 'meta';

export interface TagParentsTable {
  parent_id: number;
  child_id: number;
  kind: TagParentKind;
}

export interface WorkFilterTagsTable {
  work_id: number;
  tag_id: number;
}

/** Plain text of a work as full-text search reads it (HTML stripped, chapters joined). */
export interface WorkSearchTextsTable {
  work_id: number;
  title: string;
  creators: string;
  tags: string;
  summary: string;
  body: string;
}

export interface SearchIndexChangesTable {
  id: Generated<number>;
  work_id: number | null;
  tag_id: number | null;
}

export interface SeriesTable {
  id: Generated<number>;
  user_id: number;
  title: string;
  summary: string;
  notes: string;
  complete: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SeriesWorksTable {
  series_id: number;
  work_id: number;
  position: number;
}

export interface DownloadCacheTable {
  cache_key: string;
  /** The revision of the work (or series) the content was built from. */
  revision: string;
  content: Buffer;
  created_at: Timestamp;
}

export type CommentStatus = 'visible' | 'unreviewed' | 'hidden' | 'deleted';

export interface CommentsTable {
  id: Generated<number>;
  work_id: number;
  /** Null for a comment on the whole work. */
  chapter_id: number | null;
  /** Null for the first comment of a thread. */
  parent_id: number | null;
  /** A member's comment has a user and pseud; a guest's has a name (and maybe an email) instead. */
  user_id: number | null;
  pseud_id: number | null;
  guest_name: string | null;
  guest_email: string | null;
  /** Sanitised HTML. */
  body: string;
  status: CommentStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KudosTable {
  id: Generated<number>;
  work_id: number;
  user_id: number | null;
  guest_key: string | null;
  created_at: Timestamp;
}

export interface WorkHitsTable {
  work_id: number;
  visitor_key: string;
  /** YYYY-MM-DD (UTC): a visitor counts once per work per day. */
  day: string;
}

export interface BookmarksTable {
  id: Generated<number>;
  user_id: number;
  /** The pseud the bookmark is shown under; null only if that pseud vanished some other way. */
  pseud_id: ColumnType<number | null, number | null | undefined, number | null>;
  work_id: number | null;
  series_id: number | null;
  /** Sanitised HTML. */
  notes: string;
  private: Flag;
  rec: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BookmarkTagsTable {
  bookmark_id: number;
  tag_id: number;
  position: number;
}

export interface SubscriptionsTable {
  id: Generated<number>;
  user_id: number;
  /** Exactly one of these three is set: a work (new chapters), a series (new parts), a creator (new works). */
  work_id: number | null;
  series_id: number | null;
  creator_id: number | null;
  created_at: Timestamp;
}

export type NotificationKind =
  | 'comment'
  | 'reply'
  | 'new_chapter'
  | 'new_work'
  | 'new_series_part'
  /** The member's "download my data" zip is ready. */
  | 'data_export'
  /** A creator invited one of the member's pseuds to co-create a work. */
  | 'creatorship_invitation';

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number;
  kind: NotificationKind;
  work_id: number | null;
  chapter_id: number | null;
  comment_id: number | null;
  text: string;
  read: Flag;
  created_at: Timestamp;
}

export interface ReadingsTable {
  user_id: number;
  work_id: number;
  /** Where the reader stopped. */
  chapter_id: number | null;
  visits: number;
  marked_for_later: Flag;
  last_read_at: Timestamp;
}

export interface UserRelationTable {
  user_id: number;
  target_id: number;
  created_at: Timestamp;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON. */
  payload: string;
  run_at: Timestamp;
  attempts: ColumnType<number, number | undefined, number>;
  locked_at: Timestamp | null;
  locked_by: string | null;
  done_at: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
}

export type ImportUploadStatus = 'queued' | 'done' | 'failed';

/** A file uploaded for import, waiting for (or done by) its job; `content` is emptied once it is read. */
export interface ImportUploadsTable {
  id: Generated<number>;
  user_id: number;
  file_name: string;
  byte_size: number;
  content: Buffer | null;
  status: ImportUploadStatus;
  /** JSON: the ImportReport of the file's downloads. */
  report: string | null;
  /** Why the whole file could not be imported, when status is failed. */
  error: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface RateLimitsTable {
  bucket: string;
  window_ends_at: number;
  hits: number;
}

export type DataExportStatus = 'queued' | 'ready' | 'failed' | 'expired';

/** A member's request for all their data; `content` holds the zip until it expires. */
export interface DataExportsTable {
  id: Generated<number>;
  user_id: number;
  status: DataExportStatus;
  content: Buffer | null;
  byte_size: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  finished_at: Timestamp | null;
  expires_at: Timestamp | null;
}

/** One staff action; never updated or deleted. Names are kept as text so entries outlive the accounts. */
export interface AuditLogTable {
  id: Generated<number>;
  actor_id: number | null;
  /** The actor's username at the time, or "command line" for `quire`. */
  actor_name: string;
  action: string;
  target_kind: string;
  target_id: number | null;
  target_name: string;
  reason: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
}

export type ReportStatus = 'open' | 'claimed' | 'resolved';

export interface ReportsTable {
  id: Generated<number>;
  /** work, chapter, comment, bookmark or user. */
  target_kind: string;
  target_id: number;
  category: string;
  status: ColumnType<ReportStatus, ReportStatus | undefined, ReportStatus>;
  claimed_by: ColumnType<number | null, number | null | undefined, number | null>;
  resolution_note: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One submission to a report: a member's, or a guest's with the address to answer. */
export interface ReportMessagesTable {
  id: Generated<number>;
  report_id: number;
  reporter_id: number | null;
  guest_email: string | null;
  text: string;
  created_at: Timestamp;
}

export interface SettingsTable {
  name: string;
  value: string;
}

export interface Database {
  users: UsersTable;
  pseuds: PseudsTable;
  pseud_icons: PseudIconsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  account_tokens: AccountTokensTable;
  usernames: UsernamesTable;
  invitations: InvitationsTable;
  works: WorksTable;
  work_creators: WorkCreatorsTable;
  creatorship_invitations: CreatorshipInvitationsTable;
  chapters: ChaptersTable;
  tags: TagsTable;
  work_tags: WorkTagsTable;
  tag_parents: TagParentsTable;
  work_filter_tags: WorkFilterTagsTable;
  work_search_texts: WorkSearchTextsTable;
  search_index_changes: SearchIndexChangesTable;
  series: SeriesTable;
  series_works: SeriesWorksTable;
  download_cache: DownloadCacheTable;
  comments: CommentsTable;
  kudos: KudosTable;
  work_hits: WorkHitsTable;
  bookmarks: BookmarksTable;
  bookmark_tags: BookmarkTagsTable;
  subscriptions: SubscriptionsTable;
  notifications: NotificationsTable;
  readings: ReadingsTable;
  mutes: UserRelationTable;
  blocks: UserRelationTable;
  jobs: JobsTable;
  import_uploads: ImportUploadsTable;
  rate_limits: RateLimitsTable;
  settings: SettingsTable;
  data_exports: DataExportsTable;
  audit_log: AuditLogTable;
  reports: ReportsTable;
  report_messages: ReportMessagesTable;
}

export type UserRow = Selectable<UsersTable>;
export type WorkRow = Selectable<WorksTable>;
export type ChapterRow = Selectable<ChaptersTable>;
export type TagRow = Selectable<TagsTable>;
export type NewWork = Insertable<WorksTable>;
