// Curating the shared training library: proposals of organisations await a platform
// administrator's decision (a rejection says why).
import { useState } from 'react';
import { Button, Group, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useFormat } from '../../i18n/format';

function Decide({ courseId, versionId }: { courseId: string; versionId: string }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const review = useWrite(
    (body: Schemas['CourseReviewIn']) =>
      unwrap(api.POST('/api/v1/training/courses/{id}/versions/{version_id}/review', { params: { path: { id: courseId, version_id: versionId } }, body })),
    [['course-proposals']],
  );
  return (
    <Group align="flex-end" wrap="nowrap">
      <Textarea aria-label={t('curation.note')} placeholder={t('curation.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={1} maxLength={2000} />
      <Button size="xs" onClick={() => review.mutate({ decision: 'verified', ...(note.trim() ? { note: note.trim() } : {}) })} loading={review.isPending}>
        {t('curation.verify')}
      </Button>
      <Button size="xs" variant="default" disabled={!note.trim()} onClick={() => review.mutate({ decision: 'rejected', note: note.trim() })}>
        {t('curation.reject')}
      </Button>
    </Group>
  );
}

export default function Curation() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const proposals = useQuery({
    queryKey: ['course-proposals'],
    queryFn: () => unwrap(api.GET('/api/v1/training/course-proposals', { params: { query: { limit: 100 } } })),
  });
  return (
    <Page title={t('nav.curation')}>
      <ListCard
        id="proposals-title"
        title={t('curation.proposals')}
        query={proposals}
        columns={[
          { header: t('library.course'), cell: (v) => v.title },
          { header: t('tenants.created'), cell: (v) => fmt.date(v.created_at) },
          { header: t('curation.decision'), cell: (v) => <Decide courseId={v.course_id} versionId={v.id} /> },
        ]}
      />
    </Page>
  );
}
