// Who among the staff may do what to whom. Services ask these before acting; views only use them to hide
// buttons. Ranks follow AO3's: administrator > moderator > tag wrangler > user.

export const STAFF_ROLES = ['administrator', 'moderator', 'wrangler'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** An account's role flags, as the users table holds them. */
export interface RoleFlags {
  is_admin: number;
  is_moderator: number;
  is_wrangler: number;
}

const RANKS = { user: 0, wrangler: 1, moderator: 2, administrator: 3 } as const;
export type Rank = keyof typeof RANKS;

/** An account's highest role. */
export function rankOf(flags: RoleFlags): Rank {
  if (flags.is_admin === 1) return 'administrator';
  if (flags.is_moderator === 1) return 'moderator';
  if (flags.is_wrangler === 1) return 'wrangler';
  return 'user';
}

/** The roles granted to an account; an administrator acts as the others whether granted them or not. */
export function rolesOf(flags: RoleFlags): StaffRole[] {
  return STAFF_ROLES.filter((role) => flags[ROLE_COLUMNS[role]] === 1);
}

export const ROLE_COLUMNS = {
  administrator: 'is_admin',
  moderator: 'is_moderator',
  wrangler: 'is_wrangler',
} as const satisfies Record<StaffRole, keyof RoleFlags>;

/**
 * Why the actor may not give or take away the role from the target, or null when they may. Administrators
 * manage every role; moderators may manage tag wranglers, so volunteers can be brought in without an
 * administrator. Nobody acts on an account whose rank is above their own.
 */
export function refuseRoleChange(actor: Rank, target: Rank, role: StaffRole): string | null {
  if (RANKS[target] > RANKS[actor])
    return 'You cannot change the roles of an account with a higher role than yours.';
  if (actor === 'administrator') return null;
  if (actor === 'moderator' && role === 'wrangler') return null;
  return role === 'wrangler'
    ? 'Only administrators and moderators can grant or revoke the tag wrangler role.'
    : 'Only administrators can grant or revoke staff roles.';
}

/** Administrators see every account's roles at /admin/users. */
export function mayListStaffRoles(actor: Rank): boolean {
  return actor === 'administrator';
}

/** Administrators and moderators read the audit log; nobody edits it. */
export function mayReadAuditLog(actor: Rank): boolean {
  return RANKS[actor] >= RANKS.moderator;
}

/** Administrators and moderators read, claim and resolve readers' reports. */
export function mayHandleReports(actor: Rank): boolean {
  return RANKS[actor] >= RANKS.moderator;
}
