import type { Schemas } from '../../../api/client';
import { clientEditValues, clientUpdate } from './ClientEdit';
import { reviewProgress } from './Reviews';
import { checklistAndRisksPatch } from './Interviews';

describe('changing a client', () => {
  const read: Schemas['ClientDetails'] = {
    gender: 'female',
    trafficking_status: 'possible',
    nationality: 'RO',
    languages: ['ro'],
    control_methods: ['debt_bondage'],
    connected_persons: [{ role: 'child', age_band: '0-8', name: 'Mia' }],
    identity: { legal_family_name: 'Popescu', aliases: ['Ani'], documents: [{ kind: 'passport', number: 'X1' }] },
  };

  it('sends back what the form does not show, unchanged, and the fields it shows as edited', () => {
    const form = { ...clientEditValues(read), 'details.identity.legal_family_name': ' Ionescu ', 'details.languages': 'ro, en', 'details.nationality': 'md' };
    const out = clientUpdate(read, form).details;
    expect(out.identity?.legal_family_name).toBe('Ionescu');
    expect(out.identity?.aliases).toEqual(['Ani']);
    expect(out.identity?.documents).toEqual([{ kind: 'passport', number: 'X1' }]);
    expect(out.connected_persons).toEqual(read.connected_persons);
    expect(out.control_methods).toEqual(['debt_bondage']);
    expect(out.languages).toEqual(['ro', 'en']);
    expect(out.nationality).toBe('MD');
  });

  it('clears an emptied field rather than sending an empty string', () => {
    const form = { ...clientEditValues(read), 'details.identity.legal_family_name': '  ', 'details.nationality': '' };
    const out = clientUpdate(read, form).details;
    expect(out.identity?.legal_family_name).toBeNull();
    expect(out.nationality).toBeNull();
  });
});

describe('a review’s progress', () => {
  const goal = (id: string, status: Schemas['GoalStatus']) => ({ id, status }) as Schemas['GoalOut'];

  it('names only the goals whose status changes or that get a comment', () => {
    const goals = [goal('a', 'planned'), goal('b', 'planned'), goal('c', 'in_progress')];
    const progress = {
      a: { status: 'planned' as const, comment: '' },
      b: { status: 'achieved' as const, comment: '' },
      c: { status: 'in_progress' as const, comment: ' Waiting for the hearing. ' },
    };
    expect(reviewProgress(goals, progress)).toEqual([
      { goal_id: 'b', status: 'achieved' },
      { goal_id: 'c', status: 'in_progress', comment: 'Waiting for the hearing.' },
    ]);
  });
});

describe('changing an interview’s checklist and risks', () => {
  const interview = (sealed: boolean) =>
    ({
      id: 'i', case_id: 'c', client_id: 'x', held_on: '2026-12-01', interviewer_ids: [], language: 'ro', interpreter_used: false,
      location_type: 'shelter', presumed_victim: 'unclear', checklist_version: 1, indicators: { debt: 'yes', gone: 'no' },
      risks: [{ kind: 'traffickers', level: 'high', note: sealed ? 'Calls at night' : null }], sealed_shown: sealed, consents: [], created_at: '', updated_at: '',
    }) as Schemas['InterviewOut'];
  const current = { title: 'Checklist', version: 2, groups: [{ code: 'g', label: 'G', indicators: [{ code: 'debt', label: 'Debt' }, { code: 'papers', label: 'Papers' }] }] } as Schemas['Checklist'];
  const risks = [{ kind: 'traffickers', level: 'high', note: 'Calls at night' }] as const;

  it('sends nothing of them when nothing changed', () => {
    expect(checklistAndRisksPatch(interview(true), { debt: 'yes', gone: 'no' }, [...risks], current)).toEqual({});
  });

  it('sends changed answers under the current checklist, without indicators it no longer has', () => {
    expect(checklistAndRisksPatch(interview(true), { debt: 'yes', gone: 'no', papers: 'unknown' }, [...risks], current)).toEqual({ indicators: { debt: 'yes', papers: 'unknown' }, checklist_version: 2 });
  });

  it('sends changed risks with trimmed notes, only to someone who saw the notes', () => {
    const changed = [{ kind: 'traffickers', level: 'medium', note: ' Calls at night ' }, { kind: 'health', level: 'low', note: '  ' }] as const;
    expect(checklistAndRisksPatch(interview(true), { debt: 'yes', gone: 'no' }, [...changed], current)).toEqual({
      risks: [{ kind: 'traffickers', level: 'medium', note: 'Calls at night' }, { kind: 'health', level: 'low', note: null }],
    });
    expect(checklistAndRisksPatch(interview(false), { debt: 'yes', gone: 'no' }, [...changed], current)).toEqual({});
  });
});
