import { auditQuery } from './AuditLog';
import { mayApprove } from './Erasures';
import { erasureDraftError } from '../cases/tabs/DataProtection';
import { exportFileName } from '../../api/download';
import type { Schemas } from '../../api/client';

const blank = { action: '', target_type: '', actor: '', from: '', to: '' };

describe('audit log filters', () => {
  it('leaves blanks out of the query', () => {
    expect(auditQuery(blank)).toEqual({ query: {}, actorInvalid: false });
  });

  it('bounds a period by the start of its first day and the start of the day after its last', () => {
    const { query } = auditQuery({ ...blank, from: '2026-03-01', to: '2026-03-31' });
    expect(query.from).toBe(new Date('2026-03-01T00:00:00').toISOString());
    expect(query.to).toBe(new Date('2026-04-01T00:00:00').toISOString());
  });

  it('sends a user id and refuses anything else as actor', () => {
    const id = '0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a00';
    expect(auditQuery({ ...blank, actor: ` ${id} ` }).query.actor).toBe(id);
    const bad = auditQuery({ ...blank, actor: 'alice' });
    expect(bad.actorInvalid).toBe(true);
    expect(bad.query.actor).toBeUndefined();
  });

  it('trims action and target', () => {
    expect(auditQuery({ ...blank, action: ' client.read ', target_type: 'client ' }).query).toEqual({ action: 'client.read', target_type: 'client' });
  });
});

describe('erasure', () => {
  const pending = (requested_by: string | null): Schemas['ErasureOut'] => ({
    id: 'e',
    client_id: 'c',
    status: 'pending',
    requested_at: '2026-11-30T10:00:00Z',
    requested_by,
  });

  it('is approved only by an administrator other than the one who asked, and only while pending', () => {
    expect(mayApprove(pending('alice'), 'bob')).toBe(true);
    expect(mayApprove(pending('alice'), 'alice')).toBe(false);
    expect(mayApprove({ ...pending('alice'), status: 'completed' }, 'bob')).toBe(false);
  });

  it('needs a reason of at most 2000 characters and a confirmation', () => {
    expect(erasureDraftError('  ', true)).toBe('validation.required');
    expect(erasureDraftError('x'.repeat(2001), true)).toBe('validation.too_long');
    expect(erasureDraftError('Written request', false)).toBe('erasure.confirm_required');
    expect(erasureDraftError('Written request', true)).toBeNull();
  });
});

describe('export file names', () => {
  it('keep letters, digits and dashes only', () => {
    expect(exportFileName(['client', 'BE-2026-0042'], 'json')).toBe('haven-client-BE-2026-0042.json');
    expect(exportFileName(['audit', '', '../../etc/passwd'], 'csv')).toBe('haven-audit-etc-passwd.csv');
  });
});
