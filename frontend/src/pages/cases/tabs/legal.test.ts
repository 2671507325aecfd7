import { proceedingPatch } from './Legal';
import { linkEntry, type ContactDraft } from './ProceedingContacts';
import { templateSteps } from './Deadlines';
import { toInstant, toLocalInput } from '../../../forms/instant';
import type { Schemas } from '../../../api/client';

const proceeding = (sealed: boolean) =>
  ({ id: 'p', case_id: 'c', client_id: 'x', type: 'criminal_complaint', status: 'filed', client_role: 'witness', contacts: [], sealed_shown: sealed, created_at: '', updated_at: '' }) as Schemas['ProceedingOut'];

describe('changing a proceeding', () => {
  const values = { type: 'civil_party', client_role: 'civil_party', status: 'trial', jurisdiction: '  ', reference: ' AN.12 ' } as const;

  it('clears a blank jurisdiction and sends the reference only when it was shown', () => {
    expect(proceedingPatch(proceeding(true), values)).toEqual({ type: 'civil_party', client_role: 'civil_party', status: 'trial', jurisdiction: null, reference: 'AN.12' });
    expect(proceedingPatch(proceeding(false), values)).not.toHaveProperty('reference');
  });

  it('sends the contacts only when they changed, and only to someone who saw the names', () => {
    const withLawyer = { ...proceeding(true), contacts: [{ role: 'lawyer', name: 'A. Janssens', organisation: null, directory_organisation_id: null }] } as Schemas['ProceedingOut'];
    expect(proceedingPatch(withLawyer, values)).not.toHaveProperty('contacts');
    const drafts: ContactDraft[] = [
      { role: 'lawyer', name: ' A. Janssens ', organisation: ' Bar of Antwerp ', directory_organisation_id: null },
      { role: 'court', name: '  ', organisation: '', directory_organisation_id: null },
      { role: 'police_unit', name: '', organisation: 'Human trafficking unit', directory_organisation_id: null },
    ];
    expect(proceedingPatch(withLawyer, values, drafts).contacts).toEqual([
      { role: 'lawyer', name: 'A. Janssens', organisation: 'Bar of Antwerp', directory_organisation_id: null },
      { role: 'police_unit', name: null, organisation: 'Human trafficking unit', directory_organisation_id: null },
    ]);
    expect(proceedingPatch(withLawyer, values, []).contacts).toEqual([]);
    const hidden = { ...withLawyer, sealed_shown: false, contacts: [{ ...withLawyer.contacts[0]!, name: null }] } as Schemas['ProceedingOut'];
    expect(proceedingPatch(hidden, values, drafts)).not.toHaveProperty('contacts');
  });
});

describe('a contact linked to the directory', () => {
  const entry = { id: 'e1', name: 'Law Centre Gent' } as Schemas['EntryOut'];
  const contact: ContactDraft = { role: 'lawyer', name: 'A. Janssens', organisation: '', directory_organisation_id: null };

  it('takes the entry’s name when it names no organisation, and keeps its own otherwise', () => {
    expect(linkEntry(contact, entry)).toEqual({ directory_organisation_id: 'e1', organisation: 'Law Centre Gent' });
    expect(linkEntry({ ...contact, organisation: 'Bar of Ghent' }, entry)).toEqual({ directory_organisation_id: 'e1' });
  });

  it('is unlinked without losing the organisation’s name', () => {
    expect(linkEntry({ ...contact, organisation: 'Law Centre Gent', directory_organisation_id: 'e1' }, null)).toEqual({ directory_organisation_id: null });
  });
});

describe('procedure steps', () => {
  it('are those of the organisation’s template', () => {
    const step = { code: 'reflection_period', title: 'Reflection period', renewable: 'no', reminders: [] };
    const templates = { items: [{ id: 'be', version: 1, name: 'Belgium', parameters: {}, on_stage: {}, steps: [step] }, { id: 'generic', version: 1, name: 'Generic', parameters: {}, on_stage: {}, steps: [] }] };
    expect(templateSteps({ procedure_template: 'be' } as Schemas['SettingsOut'], templates as Schemas['TemplatePage'])).toEqual([step]);
    expect(templateSteps(undefined, templates as Schemas['TemplatePage'])).toEqual([]);
  });
});

describe('datetime-local values', () => {
  it('round-trip through the API’s instants', () => {
    expect(toLocalInput(toInstant('2027-02-15T09:30'))).toBe('2027-02-15T09:30');
  });
});
