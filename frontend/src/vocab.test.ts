import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vocab from './vocab';
import en from './i18n/locales/en.json';

const spec = JSON.parse(readFileSync(join(__dirname, '../../openapi/openapi.json'), 'utf8')) as {
  components: { schemas: Record<string, { enum?: string[] }> };
};

const LISTS: Record<string, readonly string[]> = {
  Stage: vocab.STAGES,
  ExploitationType: vocab.EXPLOITATION_TYPES,
  Gender: vocab.GENDERS,
  AgeBand: vocab.AGE_BANDS,
  ServiceArea: vocab.SERVICE_AREAS,
  DocumentKind: vocab.DOCUMENT_KINDS,
  DocumentStatus: vocab.DOCUMENT_STATUSES,
  IncidentCategory: vocab.INCIDENT_CATEGORIES,
  IncidentSeverity: vocab.INCIDENT_SEVERITIES,
  InterviewLocation: vocab.INTERVIEW_LOCATIONS,
  PresumedVictim: vocab.PRESUMED_VICTIMS,
  PartnerOrganisationType: vocab.PARTNER_ORGANISATION_TYPES,
  EngagementType: vocab.ENGAGEMENT_TYPES,
  DirectoryServiceType: vocab.DIRECTORY_SERVICE_TYPES,
  PacketField: vocab.PACKET_FIELDS,
  ReferralUrgency: vocab.REFERRAL_URGENCIES,
  ReferralStatus: vocab.REFERRAL_STATUSES,
  ReportName: vocab.REPORT_NAMES,
  LegalContactRole: vocab.LEGAL_CONTACT_ROLES,
};

describe('vocabularies', () => {
  it.each(Object.entries(LISTS))('%s lists exactly the values of the OpenAPI document', (name, values) => {
    expect([...values]).toEqual(spec.components.schemas[name]?.enum);
  });

  it.each(Object.entries(LISTS))('%s has an English label for every value', (name, values) => {
    const labels = (en.enum as Record<string, Record<string, string>>)[name] ?? {};
    expect(values.filter((v) => !(v in labels))).toEqual([]);
  });
});
