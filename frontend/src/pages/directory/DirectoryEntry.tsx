// One partner organisation of the referral directory: what it offers, how to reach it, in the
// reader's language where the entry has a description in it.
import { useState } from 'react';
import { Alert, Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Page, QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { useAuth } from '../../auth/AuthContext';
import { useVersioned } from '../../api/versioned';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { DialogButton } from '../../components/DialogButton';
import { BedsTonight, EntryBadges } from './Directory';
import { EntryForm } from './EntryForm';
import { EntryProposals } from './EntryProposals';
import { PublishBeds } from './PublishBeds';

/** The description in the reader's language, else English, else any. */
export function pickDescription(descriptions: Record<string, string>, language: string): string | undefined {
  const base = language.split('-')[0] ?? language;
  return descriptions[base] ?? descriptions.en ?? Object.values(descriptions)[0];
}

function Field({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={600} component="dt">
        {name}
      </Text>
      <Text component="dd" m={0}>
        {children}
      </Text>
    </div>
  );
}

function safeWebsite(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

function EditEntry({ id, close, onSaved }: { id: string; close: () => void; onSaved: (outcome: 'changed' | 'proposed') => void }) {
  const entry = useVersioned(['directory-entry', id], () => api.GET('/api/v1/directory/organisations/{id}', { params: { path: { id } } }));
  return <QueryState query={entry}>{(e) => <EntryForm entry={e} close={close} onSaved={onSaved} />}</QueryState>;
}

/** Changing and removing one's own entry (`directory.manage`); a verified shared entry is not
 * removed by its organisation, and a change of it awaits verification. */
function OwnEntryActions({ entry }: { entry: Schemas['EntryOut'] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [saved, setSaved] = useState<'changed' | 'proposed' | null>(null);
  const removable = entry.visibility === 'private' || entry.verification_status !== 'verified';
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <DialogButton label={t('directory_edit.change')} title={t('directory_edit.change_title')} size="xl" button={{ size: 'sm' }}>
          {(close) => <EditEntry id={entry.id} close={close} onSaved={setSaved} />}
        </DialogButton>
        {removable && (
          <ConfirmRemove
            label={t('directory_edit.remove')}
            title={t('directory_edit.remove_title')}
            text={t('directory_edit.remove_text', { name: entry.name })}
            remove={() => unwrap(api.DELETE('/api/v1/directory/organisations/{id}', { params: { path: { id: entry.id } } }))}
            invalidate={[['directory']]}
            onRemoved={() => void navigate('/directory')}
          />
        )}
      </Group>
      {saved && (
        <Alert color="teal" role="status">
          {t(saved === 'proposed' ? 'directory_edit.proposed' : 'directory_edit.changed')}
        </Alert>
      )}
    </Stack>
  );
}

function EntryDetails({ entry }: { entry: Schemas['EntryOut'] }) {
  const { t, i18n } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const description = pickDescription(entry.descriptions, i18n.language);
  const website = safeWebsite(entry.website);
  const manage = entry.own && can('directory.manage');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {entry.name}
        </Title>
        <EntryBadges entry={entry} />
      </Group>
      {manage && <OwnEntryActions entry={entry} />}
      {description && <Text>{description}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder component="section" aria-labelledby="entry-offer">
          <Title order={3} size="h5" id="entry-offer" mb="xs">
            {t('directory.offer')}
          </Title>
          <SimpleGrid cols={1} component="dl" spacing="xs">
            <Field name={t('directory.organisation_type')}>{label('PartnerOrganisationType', entry.organisation_type)}</Field>
            <Field name={t('directory.services')}>{entry.service_types.map((s) => label('DirectoryServiceType', s)).join(', ')}</Field>
            <Field name={t('directory.language')}>{entry.languages.join(', ') || '—'}</Field>
            <Field name={t('directory.hours')}>{entry.open_24_7 ? t('directory.open_24_7') : (entry.hours ?? '—')}</Field>
            <Field name={t('directory.accessibility')}>{entry.accessibility ?? '—'}</Field>
            <Field name={t('directory.beds')}>
              <BedsTonight beds={entry.beds_tonight} />
            </Field>
          </SimpleGrid>
        </Card>
        <Card withBorder component="section" aria-labelledby="entry-contact">
          <Title order={3} size="h5" id="entry-contact" mb="xs">
            {t('directory.contact')}
          </Title>
          <SimpleGrid cols={1} component="dl" spacing="xs">
            <Field name={t('directory.place')}>{[entry.city, entry.region, entry.country].filter(Boolean).join(', ')}</Field>
            <Field name={t('directory.phone')}>{entry.phone ? <Anchor href={`tel:${entry.phone.replace(/[^+\d]/g, '')}`}>{entry.phone}</Anchor> : '—'}</Field>
            <Field name={t('directory.email')}>{entry.email ? <Anchor href={`mailto:${entry.email}`}>{entry.email}</Anchor> : '—'}</Field>
            <Field name={t('directory.website')}>
              {website ? (
                <Anchor href={website} target="_blank" rel="noopener noreferrer">
                  {entry.website}
                </Anchor>
              ) : (
                '—'
              )}
            </Field>
            <Field name={t('directory.verified_at')}>{entry.verified_at ? fmt.date(entry.verified_at) : '—'}</Field>
            {entry.review_note && <Field name={t('directory.review_note')}>{entry.review_note}</Field>}
          </SimpleGrid>
        </Card>
      </SimpleGrid>
      {entry.own && can('shelters.manage') && <PublishBeds entry={entry} />}
      {manage && entry.visibility === 'shared' && <EntryProposals entryId={entry.id} />}
    </Stack>
  );
}

export default function DirectoryEntry() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const entry = useQuery({
    queryKey: ['directory-entry', id],
    queryFn: () => unwrap(api.GET('/api/v1/directory/organisations/{id}', { params: { path: { id } } })),
  });
  return (
    <Page title={t('nav.directory')}>
      <QueryState query={entry}>{(e) => <EntryDetails entry={e} />}</QueryState>
    </Page>
  );
}
