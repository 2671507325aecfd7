import { directoryQuery, NO_FILTERS } from './Directory';
import { pickDescription } from './DirectoryEntry';
import { entryBody, entryPatch, entrySchema, entryValues } from './EntryForm';

describe('directory search parameters', () => {
  it('sends nothing but the page size when no filter is set', () => {
    expect(directoryQuery(NO_FILTERS)).toEqual({ limit: 100 });
  });

  it('sends the filters that are set, normalised', () => {
    expect(
      directoryQuery({ q: '  legal aid ', country: 'be', serviceType: 'legal_aid', language: 'NL', open247: true, verified: true, freeBed: true }),
    ).toEqual({ limit: 100, q: 'legal aid', country: 'BE', service_type: 'legal_aid', language: 'nl', open_24_7: true, verified: true, has_free_bed: true });
  });

  it('leaves out what is not yet well formed instead of sending a request the API refuses', () => {
    expect(directoryQuery({ ...NO_FILTERS, q: 'a', country: 'B', language: 'f' })).toEqual({ limit: 100 });
    expect(directoryQuery({ ...NO_FILTERS, country: 'BEL', language: 'fr1' })).toEqual({ limit: 100 });
  });
});

describe('entry descriptions', () => {
  const d = { en: 'English', fr: 'Français' };
  it('prefers the reader’s language, then English, then any', () => {
    expect(pickDescription(d, 'fr-BE')).toBe('Français');
    expect(pickDescription(d, 'nl')).toBe('English');
    expect(pickDescription({ nl: 'Nederlands' }, 'fr')).toBe('Nederlands');
    expect(pickDescription({}, 'fr')).toBeUndefined();
  });
});

describe('the new-entry form', () => {
  const valid = {
    name: 'Legal Clinic',
    organisation_type: 'legal_service',
    country: 'be',
    service_types: ['legal_aid'],
    city: '',
    region: '',
    hours: '',
    accessibility: '',
    languages: 'nl, fr',
    phone: '',
    email: '',
    website: '',
    open_24_7: false,
    description: 'Free advice',
    share: true,
  };

  it('refuses a missing service, a bad country, e-mail or website', () => {
    const bad = entrySchema.safeParse({ ...valid, service_types: [], country: 'Belgium', email: 'x', website: 'javascript:alert(1)' });
    expect(bad.success).toBe(false);
    const fields = bad.success ? [] : bad.error.issues.map((i) => i.path.join('.'));
    expect(fields.sort()).toEqual(['country', 'email', 'service_types', 'website']);
  });

  it('builds the API body: upper-case country, language list, description in the writer’s language, blanks as null', () => {
    const parsed = entrySchema.parse(valid);
    expect(entryBody(parsed, 'nl-BE')).toEqual({
      name: 'Legal Clinic',
      organisation_type: 'legal_service',
      country: 'BE',
      service_types: ['legal_aid'],
      city: null,
      region: null,
      hours: null,
      accessibility: null,
      languages: ['nl', 'fr'],
      phone: null,
      email: null,
      website: null,
      open_24_7: false,
      descriptions: { nl: 'Free advice' },
      visibility: 'shared',
    });
  });
});

describe('changing an entry', () => {
  const entry = {
    id: 'e1',
    visibility: 'shared',
    own: true,
    linked_to_haven: false,
    name: 'Legal Clinic',
    organisation_type: 'legal_service',
    country: 'BE',
    service_types: ['legal_aid'],
    city: 'Gent',
    languages: ['nl', 'fr'],
    phone: null,
    email: null,
    website: null,
    open_24_7: false,
    descriptions: { en: 'Free advice', nl: 'Gratis advies' },
    created_at: '',
    updated_at: '',
  } as const;

  it('sends nothing when nothing changed', () => {
    expect(entryPatch({ ...entry, service_types: [...entry.service_types], languages: [...entry.languages], descriptions: { ...entry.descriptions } }, entryValues({ ...entry, service_types: ['legal_aid'], languages: ['nl', 'fr'], descriptions: { ...entry.descriptions } }, 'en'), 'en')).toBeNull();
  });

  it('sends the changed fields, and the description in the writer’s language beside the others', () => {
    const e = { ...entry, service_types: ['legal_aid' as const], languages: ['nl', 'fr'], descriptions: { ...entry.descriptions } };
    const values = { ...entryValues(e, 'nl-BE'), city: 'Antwerpen', description: 'Gratis juridisch advies' };
    expect(entryPatch(e, values, 'nl-BE')).toEqual({ city: 'Antwerpen', descriptions: { en: 'Free advice', nl: 'Gratis juridisch advies' } });
  });
});
