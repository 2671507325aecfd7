import { userPatch, userProblemKey } from './users';

const user = { roles: ['case_worker', 'trainer'], status: 'active' };

describe('changing a user', () => {
  it('sends only what changed', () => {
    expect(userPatch(user, { roles: ['trainer', 'case_worker'], status: 'active' })).toBeNull();
    expect(userPatch(user, { roles: ['analyst'], status: 'active' })).toEqual({ roles: ['analyst'] });
    expect(userPatch(user, { roles: ['case_worker', 'trainer'], status: 'deactivated' })).toEqual({ status: 'deactivated' });
  });

  it('leaves an invited user invited', () => {
    expect(userPatch({ roles: ['analyst'], status: 'invited' }, { roles: ['analyst'], status: 'invited' })).toBeNull();
  });

  it('names the refusals it knows', () => {
    expect(userProblemKey(409)).toBe('account.user_lockout');
    expect(userProblemKey(412)).toBe('account.user_changed');
    expect(userProblemKey(422)).toBeNull();
  });
});
