import { suspends, tenantPatch } from './tenants';

const tenant = { name: 'Demo NGO', default_locale: 'fr-BE', time_zone: 'Europe/Brussels', status: 'active' };

describe('changing an organisation', () => {
  it('sends only what changed', () => {
    expect(tenantPatch(tenant, { ...tenant, name: ' Demo NGO ' })).toBeNull();
    expect(tenantPatch(tenant, { ...tenant, name: 'Demo NGO Brussels', status: 'suspended' })).toEqual({ name: 'Demo NGO Brussels', status: 'suspended' });
  });

  it('asks for a confirmation only when suspending', () => {
    expect(suspends(tenant, { status: 'suspended' })).toBe(true);
    expect(suspends({ status: 'suspended' }, { status: 'active' })).toBe(false);
    expect(suspends(tenant, { status: 'active' })).toBe(false);
  });
});
