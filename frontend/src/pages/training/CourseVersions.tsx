// A course's versions: published ones and the organisation's own proposals with their review,
// each readable (old versions stay readable); and writing a new version from the one shown.
import { useState } from 'react';
import { Badge, Button, List, Stack, Text, Title, Typography } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../api/client';
import { useWrite } from '../../api/mutate';
import { ListCard } from '../../components/ListCard';
import { EditDialog, Versioned } from '../../components/EditDialog';
import { QueryState } from '../../components/Page';
import { useFormat } from '../../i18n/format';
import { CourseForm, courseBody, versionValues } from './CourseForm';

const MODULE_HEADINGS = { h1: 'h5', h2: 'h6', h3: 'h6', h4: 'h6', h5: 'h6' } as const;

/** How a version stands: published, or a proposal pending or rejected. */
export function versionState(v: Pick<Schemas['VersionOut'], 'published_at' | 'verification_status'>): 'published' | 'pending' | 'rejected' {
  if (v.published_at) return 'published';
  return v.verification_status === 'rejected' ? 'rejected' : 'pending';
}

function VersionView({ courseId, versionId }: { courseId: string; versionId: string }) {
  const { t } = useTranslation();
  const version = useQuery({
    queryKey: ['course-version', courseId, versionId],
    queryFn: () => unwrap(api.GET('/api/v1/training/courses/{id}/versions/{version_id}', { params: { path: { id: courseId, version_id: versionId } } })),
  });
  return (
    <QueryState query={version}>
      {(v) => (
        <Stack data-testid="version-view">
          <Title order={3} size="h4">
            {v.title}
          </Title>
          <Text>{v.summary}</Text>
          {v.review_note && (
            <Text size="sm">
              {t('training_edit.review_note')}: {v.review_note}
            </Text>
          )}
          <List>
            {v.objectives.map((o) => (
              <List.Item key={o}>{o}</List.Item>
            ))}
          </List>
          {[...v.modules]
            .sort((a, b) => a.position - b.position)
            .map((m) => (
              <section key={m.id} aria-labelledby={`vm-${m.id}`}>
                <Title order={4} size="h5" id={`vm-${m.id}`}>
                  {m.position}. {m.title}
                </Title>
                <Typography>
                  <Markdown remarkPlugins={[remarkGfm]} components={MODULE_HEADINGS}>
                    {m.content_markdown}
                  </Markdown>
                </Typography>
              </section>
            ))}
        </Stack>
      )}
    </QueryState>
  );
}

function NewVersion({ course, etag, close }: { course: Schemas['CourseOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const add = useWrite(
    (body: Schemas['CourseChangeIn']) =>
      unwrap(api.POST('/api/v1/training/courses/{id}/versions', { params: { path: { id: course.id }, header: { 'If-Match': etag } }, body })),
    [['course', course.id], ['course-versions', course.id], ['courses']],
  );
  return (
    <CourseForm
      label={t('training_edit.new_version')}
      initial={versionValues(course.version, course.visibility)}
      withVisibility={false}
      close={close}
      onSave={async (d) => {
        await add.mutateAsync(courseBody(d));
        close();
      }}
    />
  );
}

export function CourseVersions({ course, manage }: { course: Schemas['CourseOut']; manage: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [reading, setReading] = useState<Schemas['VersionOut'] | null>(null);
  const [writing, setWriting] = useState(false);
  const versions = useQuery({
    queryKey: ['course-versions', course.id],
    queryFn: () => unwrap(api.GET('/api/v1/training/courses/{id}/versions', { params: { path: { id: course.id } } })),
  });
  return (
    <>
      {manage && (
        <Button variant="light" onClick={() => setWriting(true)} style={{ alignSelf: 'flex-start' }}>
          {t('training_edit.new_version')}
        </Button>
      )}
      {manage && course.visibility === 'shared' && <Text size="sm" c="dimmed">{t('training_edit.shared_hint')}</Text>}
      <ListCard
        id="versions-title"
        title={t('training_edit.versions')}
        query={versions}
        columns={[
          { header: t('training_edit.number'), cell: (v) => (v.number != null ? fmt.number(v.number) : '—') },
          { header: t('training_edit.course_title'), cell: (v) => v.title },
          {
            header: t('library.status'),
            cell: (v) => {
              const state = versionState(v);
              return (
                <Badge variant="light" color={state === 'published' ? 'green.9' : state === 'rejected' ? 'red.9' : 'orange.9'}>
                  {t(`training_edit.states.${state}`)}
                </Badge>
              );
            },
          },
          { header: t('training_edit.written'), cell: (v) => fmt.date(v.created_at) },
          {
            header: t('casework.actions'),
            cell: (v) => (
              <Button size="compact-xs" variant="default" aria-label={t('training_edit.read_named', { n: v.number ?? '—', title: v.title })} onClick={() => setReading(v)}>
                {t('training_edit.read')}
              </Button>
            ),
          },
        ]}
      />
      <EditDialog title={t('training_edit.version_title')} opened={reading !== null} onClose={() => setReading(null)} size="xl">
        {reading && <VersionView courseId={course.id} versionId={reading.id} />}
      </EditDialog>
      <EditDialog title={t('training_edit.new_version')} opened={writing} onClose={() => setWriting(false)} size="xl">
        <Versioned queryKey={['course', course.id]} read={() => unwrapVersioned(api.GET('/api/v1/training/courses/{id}', { params: { path: { id: course.id } } }))}>
          {(c, etag) => <NewVersion course={c} etag={etag} close={() => setWriting(false)} />}
        </Versioned>
      </EditDialog>
    </>
  );
}
