import { visibleNav } from './nav';

const labels = (kind: string, permissions: string[]) => visibleNav(kind, permissions).map((e) => e.label);

describe('role-aware navigation', () => {
  it('offers shelter staff the shelters but no cases', () => {
    const nav = labels('user', ['shelters.read', 'residents.read']);
    expect(nav).toContain('nav.shelters');
    expect(nav).not.toContain('nav.cases');
    expect(nav).not.toContain('nav.intake');
  });

  it('offers administration only with its permissions', () => {
    expect(labels('user', ['users.read'])).toContain('nav.users');
    expect(labels('user', ['cases.work'])).not.toContain('nav.users');
    expect(labels('user', ['audit.read'])).toContain('nav.audit');
  });

  it('gives platform administrators the platform entries only', () => {
    expect(labels('platform_admin', [])).toEqual(['nav.tenants', 'nav.curation', 'account.statistics']);
    expect(labels('user', ['users.manage'])).not.toContain('nav.tenants');
  });
});
