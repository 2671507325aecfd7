import { interviewSchema } from './InterviewStep';
import { noConsents } from './ConsentFields';

const held = {
  held_on: '2026-11-30',
  language: 'ro',
  location_type: 'shelter' as const,
  presumed_victim: 'yes' as const,
  interpreter_used: false,
  interpreter_language: '',
  narrative: '',
  ...noConsents,
};

const issues = (v: unknown) => {
  const parsed = interviewSchema.safeParse(v);
  return parsed.success ? [] : parsed.error.issues.map((i) => [i.path.join('.'), i.message]);
};

describe('an interview form', () => {
  it('asks the interpreter language only when an interpreter was present, as the API does', () => {
    expect(issues(held)).toEqual([]);
    expect(issues({ ...held, interpreter_used: true })).toEqual([['interpreter_language', 'validation.language']]);
    expect(issues({ ...held, interpreter_used: true, interpreter_language: 'English' })).toEqual([['interpreter_language', 'validation.language']]);
    expect(issues({ ...held, interpreter_used: true, interpreter_language: 'en' })).toEqual([]);
  });

  it('requires the place and the outcome before anything is sent', () => {
    expect(issues({ ...held, location_type: undefined, presumed_victim: undefined })).toEqual([
      ['location_type', 'validation.required'],
      ['presumed_victim', 'validation.required'],
    ]);
  });
});
