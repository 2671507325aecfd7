import { draftErrors, nextStatuses, type ReferralDraft } from './Referrals';
import { packetLines } from '../../referrals/Incoming';

describe('where a sent referral may go next', () => {
  it('lets the sender record the answer of a partner outside Haven', () => {
    expect(nextStatuses('sent', false)).toEqual(['accepted', 'declined', 'cancelled']);
  });
  it('leaves the answer to a Haven organisation, which answers in its own inbox', () => {
    expect(nextStatuses('sent', true)).toEqual(['cancelled']);
  });
  it('completes or cancels an accepted referral, and ends there', () => {
    expect(nextStatuses('accepted', true)).toEqual(['completed', 'cancelled']);
    for (const done of ['declined', 'completed', 'cancelled'] as const) expect(nextStatuses(done, false)).toEqual([]);
  });
});

describe('a referral draft', () => {
  const entry = { id: 'e', name: 'Clinic', service_types: ['legal_aid'] } as unknown as ReferralDraft['organisation'];
  const ready: ReferralDraft = {
    organisation: entry,
    service_type: 'legal_aid',
    service_area: 'legal',
    urgency: 'urgent',
    reason: 'Needs a lawyer',
    shared_fields: ['gender'],
    override: false,
    override_reason: '',
  };
  it('is complete when every required part is there', () => {
    expect(draftErrors(ready)).toEqual({});
  });
  it('names what is missing', () => {
    expect(draftErrors({ ...ready, organisation: null, service_type: null, reason: '  ' })).toEqual({
      organisation_id: 'validation.required',
      service_type: 'validation.required',
      reason: 'validation.required',
    });
  });
  it('wants a reason for an override', () => {
    expect(draftErrors({ ...ready, override: true })).toEqual({ override_reason: 'validation.required' });
    expect(draftErrors({ ...ready, override: true, override_reason: 'Danger to life tonight' })).toEqual({});
  });
});

describe('a received packet', () => {
  const label = (kind: string, value: string) => `${kind}:${value}`;
  it('shows only what was shared, contact joined', () => {
    expect(packetLines({ reason: 'r', name: 'Ioana', phone: '+32 1', email: 'i@example.org', languages: ['ro'] }, label)).toEqual([
      ['name', 'Ioana'],
      ['contact', '+32 1, i@example.org'],
      ['languages', 'ro'],
    ]);
    expect(packetLines({ reason: 'r', gender: 'female' }, label)).toEqual([['gender', 'Gender:female']]);
  });
});
