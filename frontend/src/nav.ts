// What the navigation offers, and who it offers it to: an entry shows only when the signed-in
// role holds one of its permissions (platform administrators see only the platform entries).
export interface NavEntry {
  to: string;
  label: string;
  anyOf?: string[];
  platform?: boolean;
}

export const NAV: NavEntry[] = [
  { to: '/', label: 'nav.dashboard' },
  { to: '/agenda', label: 'agenda.title', anyOf: ['cases.work', 'cases.read_all'] },
  { to: '/cases', label: 'nav.cases', anyOf: ['cases.work', 'cases.read_all'] },
  { to: '/intake', label: 'nav.intake', anyOf: ['cases.work'] },
  { to: '/shelters', label: 'nav.shelters', anyOf: ['shelters.read'] },
  { to: '/incidents', label: 'nav.incidents', anyOf: ['shelters.read'] },
  { to: '/reports', label: 'nav.reports', anyOf: ['reports.read'] },
  { to: '/directory', label: 'nav.directory' },
  { to: '/referrals/outgoing', label: 'legal_edit.outgoing_title', anyOf: ['cases.work'] },
  { to: '/referrals/incoming', label: 'nav.incoming', anyOf: ['referrals.receive'] },
  { to: '/training/library', label: 'nav.library', anyOf: ['training.read'] },
  { to: '/training/sessions', label: 'nav.sessions', anyOf: ['training.read'] },
  { to: '/training/engagements', label: 'nav.engagements', anyOf: ['training.read'] },
  { to: '/admin/users', label: 'nav.users', anyOf: ['users.read'] },
  { to: '/admin/settings', label: 'nav.settings', anyOf: ['tenant.settings'] },
  { to: '/admin/audit', label: 'nav.audit', anyOf: ['audit.read'] },
  { to: '/admin/erasures', label: 'nav.erasures', anyOf: ['clients.erase'] },
  { to: '/platform/tenants', label: 'nav.tenants', platform: true },
  { to: '/platform/curation', label: 'nav.curation', platform: true },
  { to: '/platform/statistics', label: 'account.statistics', platform: true },
];

export function visibleNav(kind: string, permissions: string[]): NavEntry[] {
  const platform = kind === 'platform_admin';
  return NAV.filter((entry) => {
    if (platform) return entry.platform === true;
    if (entry.platform) return false;
    return !entry.anyOf || entry.anyOf.some((p) => permissions.includes(p));
  });
}
