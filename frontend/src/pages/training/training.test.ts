import { courseBody, lines, versionValues } from './CourseForm';
import { versionState } from './CourseVersions';
import { agendaKind, agendaRoute, horizonEnd } from '../Agenda';
import type { Schemas } from '../../api/client';

describe('writing a course', () => {
  it('sends objectives one per line and language codes in lower case', () => {
    const body = courseBody({
      visibility: 'private',
      title: ' Indicators ',
      summary: 'A half day.',
      audiences: ['police'],
      languages: 'FR, en',
      duration_minutes: 240,
      objectives: 'Name the indicators\n\n  Refer safely  \n',
      modules: [{ title: 'One', content_markdown: '## Deception' }],
    });
    expect(body.title).toBe('Indicators');
    expect(body.languages).toEqual(['fr', 'en']);
    expect(body.objectives).toEqual(['Name the indicators', 'Refer safely']);
    expect(lines(' \n ')).toEqual([]);
  });

  it('starts a new version from the modules of the one shown, in order', () => {
    const v = {
      id: 'v', course_id: 'c', mine: true, title: 'T', summary: 'S', audiences: ['police'], languages: ['en', 'fr'], duration_minutes: 60, objectives: ['a', 'b'], created_at: '',
      modules: [
        { id: '2', position: 2, title: 'Second', content_markdown: 'b', content_html: '' },
        { id: '1', position: 1, title: 'First', content_markdown: 'a', content_html: '' },
      ],
    } as Schemas['VersionOut'];
    const values = versionValues(v, 'shared');
    expect(values.modules.map((m) => m.title)).toEqual(['First', 'Second']);
    expect(values.languages).toBe('en, fr');
    expect(values.objectives).toBe('a\nb');
  });

  it('tells published versions from proposals', () => {
    expect(versionState({ published_at: '2026-11-30T10:00:00Z', verification_status: 'verified' })).toBe('published');
    expect(versionState({ published_at: null, verification_status: 'pending' })).toBe('pending');
    expect(versionState({ published_at: null, verification_status: 'rejected' })).toBe('rejected');
  });
});

describe('the agenda', () => {
  it('leads tasks to the case’s tasks and deadlines to its legal tab', () => {
    expect(agendaRoute({ kind: 'task', case_id: 'c1' })).toBe('/cases/c1/tasks');
    expect(agendaRoute({ kind: 'deadline', case_id: 'c1' })).toBe('/cases/c1/legal');
    expect(agendaRoute({ kind: 'task', case_id: null })).toBeNull();
  });

  it('names appointments apart from tasks', () => {
    expect(agendaKind({ kind: 'task', task_kind: 'appointment' })).toBe('appointment');
    expect(agendaKind({ kind: 'task', task_kind: 'task' })).toBe('task');
    expect(agendaKind({ kind: 'deadline', task_kind: null })).toBe('deadline');
  });

  it('ends a horizon the given number of days later, or never', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(horizonEnd('7', now)).toBe('2026-12-08T12:00:00.000Z');
    expect(horizonEnd('all', now)).toBeUndefined();
  });
});
