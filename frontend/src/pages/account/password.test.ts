import { policyErrors } from './password';

describe('password change problems', () => {
  it('puts the policy problems on the new password, translated when known', () => {
    expect(policyErrors({ password: 'must be at least 12 characters' })).toEqual({ new_password: 'account.policy_too_short' });
    expect(policyErrors({ password: 'is too easy to guess (a common or breached password); use a longer passphrase' })).toEqual({
      new_password: 'account.policy_too_weak',
    });
    expect(policyErrors({ new_password: 'is too long' })).toEqual({ new_password: 'account.policy_too_long' });
  });

  it('keeps unknown messages and other fields as they are', () => {
    expect(policyErrors({ password: 'something new', current_password: 'is required' })).toEqual({
      new_password: 'something new',
      current_password: 'is required',
    });
  });
});
