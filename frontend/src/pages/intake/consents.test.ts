import { z } from 'zod';
import { consentFields, consentsIn, noConsents, refineConsents } from './ConsentFields';

const schema = z.object(consentFields).superRefine(refineConsents);

describe('consents given in an interview', () => {
  it('are the ones ticked, sharing with the kinds of partner named', () => {
    expect(consentsIn(noConsents)).toEqual([]);
    expect(consentsIn({ consent_data: true, consent_sharing: true, consent_research: true, partner_types: ['legal_service', 'ngo'] })).toEqual([
      { purpose: 'data_processing' },
      { purpose: 'sharing_with_partners', partner_types: ['legal_service', 'ngo'] },
      { purpose: 'research' },
    ]);
  });

  it('refuse a consent to share that names no kind of partner', () => {
    const refused = schema.safeParse({ ...noConsents, consent_sharing: true });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['partner_types', 'validation.required']]);
    expect(schema.safeParse({ ...noConsents, consent_sharing: true, partner_types: ['ngo'] }).success).toBe(true);
    expect(schema.safeParse({ ...noConsents, partner_types: [] }).success).toBe(true);
  });
});
