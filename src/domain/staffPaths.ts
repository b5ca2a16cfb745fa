// The staff pages' URLs, as AO3 names them (beside archivePaths, whose owner keeps the readers' pages).

export const staffPaths = {
  adminUsers: (search?: string) => (search ? `/admin/users?q=${encodeURIComponent(search)}` : '/admin/users'),
  adminUserRoles: (login: string) => `/admin/users/${encodeURIComponent(login)}/roles`,
  adminAudit: () => '/admin/audit',
};
