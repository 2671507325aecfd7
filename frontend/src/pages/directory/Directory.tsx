// The referral directory: partner organisations shared by every Haven organisation (and the
// private entries of one's own), searched by words and narrowed by country, service, language,
// round-the-clock service, verification and free beds tonight.
import { useState } from 'react';
import { Anchor, Badge, Checkbox, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { DIRECTORY_SERVICE_TYPES, enumOptions } from '../../vocab';
import { EntryForm } from './EntryForm';

export interface DirectoryFilters {
  q: string;
  country: string;
  serviceType: string | null;
  language: string;
  open247: boolean;
  verified: boolean;
  freeBed: boolean;
}

export const NO_FILTERS: DirectoryFilters = {
  q: '',
  country: '',
  serviceType: null,
  language: '',
  open247: false,
  verified: false,
  freeBed: false,
};

/** The search's query parameters: only the filters that are set and well formed. */
export function directoryQuery(f: DirectoryFilters) {
  const country = f.country.trim().toUpperCase();
  const language = f.language.trim().toLowerCase();
  const q = f.q.trim();
  return {
    limit: 100,
    ...(q.length >= 2 ? { q } : {}),
    ...(/^[A-Z]{2}$/.test(country) ? { country } : {}),
    ...(f.serviceType ? { service_type: f.serviceType as Schemas['DirectoryServiceType'] } : {}),
    ...(/^[a-z]{2,3}$/.test(language) ? { language } : {}),
    ...(f.open247 ? { open_24_7: true } : {}),
    ...(f.verified ? { verified: true } : {}),
    ...(f.freeBed ? { has_free_bed: true } : {}),
  };
}

export function useDirectorySearch(filters: DirectoryFilters) {
  const query = directoryQuery(filters);
  return useQuery({
    queryKey: ['directory', query],
    queryFn: () => unwrap(api.GET('/api/v1/directory/organisations', { params: { query } })),
  });
}

export function EntryBadges({ entry }: { entry: Schemas['EntryOut'] }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {entry.open_24_7 && <Badge variant="outline" color="teal.9">{t('directory.open_24_7')}</Badge>}
      {entry.verification_status === 'verified' && <Badge variant="outline" color="indigo.9">{t('directory.verified')}</Badge>}
      {entry.verification_status === 'pending' && <Badge variant="outline" color="yellow.9">{t('directory.pending')}</Badge>}
      {entry.visibility === 'private' && <Badge variant="outline" color="gray.7">{t('directory.private')}</Badge>}
      {entry.linked_to_haven && <Badge variant="outline" color="grape.9">{t('directory.on_haven')}</Badge>}
    </Group>
  );
}

export function BedsTonight({ beds }: { beds: Schemas['EntryOut']['beds_tonight'] }) {
  const { t } = useTranslation();
  if (!beds) return <>—</>;
  const parts = [
    beds.women != null ? t('directory.beds_women', { n: beds.women }) : null,
    beds.men != null ? t('directory.beds_men', { n: beds.men }) : null,
    beds.minors != null ? t('directory.beds_minors', { n: beds.minors }) : null,
  ].filter(Boolean);
  return (
    <span>
      {t('directory.beds_free', { n: beds.free })}
      {parts.length > 0 && ` (${parts.join(', ')})`}
    </span>
  );
}

export default function Directory() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [f, setF] = useState<DirectoryFilters>(NO_FILTERS);
  const set = <K extends keyof DirectoryFilters>(key: K, value: DirectoryFilters[K]) => setF((old) => ({ ...old, [key]: value }));
  const results = useDirectorySearch(f);
  const { can } = useAuth();
  return (
    <Page title={t('nav.directory')}>
      <section aria-label={t('directory.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <TextInput label={t('directory.search')} description={t('directory.search_hint')} value={f.q} onChange={(e) => set('q', e.currentTarget.value)} maxLength={200} />
          <TextInput label={t('directory.country')} description={t('validation.country')} value={f.country} onChange={(e) => set('country', e.currentTarget.value)} maxLength={2} />
          <Select
            label={t('directory.service_type')}
            description={t('directory.service_hint')}
            placeholder={t('common.all')}
            clearable
            data={enumOptions(DIRECTORY_SERVICE_TYPES, 'DirectoryServiceType', label)}
            value={f.serviceType}
            onChange={(v) => set('serviceType', v)}
          />
          <TextInput label={t('directory.language')} description={t('validation.language')} value={f.language} onChange={(e) => set('language', e.currentTarget.value)} maxLength={3} />
        </SimpleGrid>
        <Group mt="sm">
          <Checkbox label={t('directory.open_24_7')} checked={f.open247} onChange={(e) => set('open247', e.currentTarget.checked)} />
          <Checkbox label={t('directory.verified_only')} checked={f.verified} onChange={(e) => set('verified', e.currentTarget.checked)} />
          <Checkbox label={t('directory.free_bed')} checked={f.freeBed} onChange={(e) => set('freeBed', e.currentTarget.checked)} />
        </Group>
      </section>
      <ListCard
        id="directory-results"
        title={t('directory.results')}
        query={results}
        addLabel={t('directory.add')}
        {...(can('directory.manage') ? { renderForm: (close: () => void) => <EntryForm close={close} /> } : {})}
        columns={[
          {
            header: t('directory.name'),
            cell: (e) => (
              <Anchor component={Link} to={`/directory/${e.id}`}>
                {e.name}
              </Anchor>
            ),
          },
          { header: t('directory.place'), cell: (e) => [e.city, e.region, e.country].filter(Boolean).join(', ') },
          { header: t('directory.services'), cell: (e) => e.service_types.map((s) => label('DirectoryServiceType', s)).join(', ') },
          { header: t('directory.language'), cell: (e) => e.languages.join(', ') },
          { header: t('directory.beds'), cell: (e) => <BedsTonight beds={e.beds_tonight} /> },
          { header: t('directory.status'), cell: (e) => <EntryBadges entry={e} /> },
        ]}
      />
    </Page>
  );
}
