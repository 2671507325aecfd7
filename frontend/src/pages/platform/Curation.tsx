// Curating what every organisation shares: proposed courses of the training library, new shared
// entries of the referral directory and proposed edits of shared entries await a platform
// administrator's decision (a rejection says why, and the proposer reads it); shared entries
// are linked to the Haven organisations they are.
import { useState } from 'react';
import { Alert, Button, Group, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { LinkEntries } from './LinkEntries';
import { NewCourse } from '../training/Library';

type Decision = 'verified' | 'rejected';

/** A note and the two verdicts; `decide` sends one. */
function Decide({ decide, invalidate }: { decide: (decision: Decision, note: string | null) => Promise<unknown>; invalidate: string[][] }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const review = useWrite(({ decision, note }: { decision: Decision; note: string | null }) => decide(decision, note), invalidate);
  const trimmed = note.trim();
  return (
    <>
      <Group align="flex-end" wrap="nowrap">
        <Textarea aria-label={t('curation.note')} placeholder={t('curation.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} maxLength={1000} />
        <Button size="xs" onClick={() => review.mutate({ decision: 'verified', note: trimmed || null })} loading={review.isPending}>
          {t('curation.verify')}
        </Button>
        <Button size="xs" variant="default" disabled={!trimmed} onClick={() => review.mutate({ decision: 'rejected', note: trimmed })}>
          {t('curation.reject')}
        </Button>
      </Group>
      {review.isError && (
        <Alert color="red" role="alert" mt="xs">
          {t('errors.generic')}
        </Alert>
      )}
    </>
  );
}

/** The fields a proposed edit changes, as "field: value" lines. */
export function describeChanges(changes: Record<string, unknown>): string {
  return Object.entries(changes)
    .map(([field, value]) => `${field}: ${value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}

export default function Curation() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const label = useEnumLabel();
  const [written, setWritten] = useState<string | null>(null);
  const courses = useQuery({
    queryKey: ['course-proposals'],
    queryFn: () => unwrap(api.GET('/api/v1/training/course-proposals', { params: { query: { limit: 100 } } })),
  });
  const entries = useQuery({
    queryKey: ['directory', 'pending'],
    queryFn: () => unwrap(api.GET('/api/v1/directory/organisations', { params: { query: { status: 'pending', limit: 100 } } })),
  });
  const edits = useQuery({
    queryKey: ['directory-proposals', 'pending'],
    queryFn: () => unwrap(api.GET('/api/v1/directory/proposals', { params: { query: { status: 'pending', limit: 100 } } })),
  });
  return (
    <Page title={t('nav.curation')}>
      <ListCard
        id="entries-title"
        title={t('curation.entries')}
        query={entries}
        columns={[
          { header: t('directory.name'), cell: (e) => e.name },
          { header: t('directory.place'), cell: (e) => [e.city, e.country].filter(Boolean).join(', ') },
          { header: t('directory.services'), cell: (e) => e.service_types.map((s) => label('DirectoryServiceType', s)).join(', ') },
          {
            header: t('curation.decision'),
            cell: (e) => (
              <Decide
                invalidate={[['directory']]}
                decide={(decision, note) => {
                  const params = { path: { id: e.id } };
                  const body = { note };
                  return unwrap(
                    decision === 'verified'
                      ? api.POST('/api/v1/directory/organisations/{id}/verify', { params, body })
                      : api.POST('/api/v1/directory/organisations/{id}/reject', { params, body }),
                  );
                }}
              />
            ),
          },
        ]}
      />
      <ListCard
        id="edits-title"
        title={t('curation.edits')}
        query={edits}
        columns={[
          { header: t('directory.name'), cell: (p) => p.organisation_name },
          { header: t('curation.changes'), cell: (p) => describeChanges(p.changes as Record<string, unknown>) },
          { header: t('tenants.created'), cell: (p) => fmt.date(p.created_at) },
          {
            header: t('curation.decision'),
            cell: (p) => (
              <Decide
                invalidate={[['directory-proposals'], ['directory']]}
                decide={(decision, note) => {
                  const params = { path: { id: p.id } };
                  const body = { note };
                  return unwrap(
                    decision === 'verified'
                      ? api.POST('/api/v1/directory/proposals/{id}/verify', { params, body })
                      : api.POST('/api/v1/directory/proposals/{id}/reject', { params, body }),
                  );
                }}
              />
            ),
          },
        ]}
      />
      <LinkEntries />
      {written && (
        <Alert color="teal" role="status" withCloseButton closeButtonLabel={t('common.close')} onClose={() => setWritten(null)}>
          {t('training_edit.platform_written', { title: written })}
        </Alert>
      )}
      <ListCard
        id="proposals-title"
        title={t('curation.proposals')}
        query={courses}
        addLabel={t('training_edit.new_shared_course')}
        renderForm={(close) => <NewCourse platform close={close} onWritten={(c) => setWritten(c.version.title)} />}
        columns={[
          { header: t('library.course'), cell: (v) => v.title },
          { header: t('tenants.created'), cell: (v) => fmt.date(v.created_at) },
          {
            header: t('curation.decision'),
            cell: (v) => (
              <Decide
                invalidate={[['course-proposals']]}
                decide={(decision, note) =>
                  unwrap(
                    api.POST('/api/v1/training/courses/{id}/versions/{version_id}/review', {
                      params: { path: { id: v.course_id, version_id: v.id } },
                      body: decision === 'verified' ? { decision, ...(note ? { note } : {}) } : { decision, note: note ?? '' },
                    }),
                  )
                }
              />
            ),
          },
        ]}
      />
    </Page>
  );
}
