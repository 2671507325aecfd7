// The shared training library: courses for outside professionals, searchable by audience,
// language and words of the title.
import { useState } from 'react';
import { Anchor, Badge, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useAuth } from '../../auth/AuthContext';
import { CourseForm, courseBody, EMPTY_COURSE } from './CourseForm';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { AUDIENCES, enumOptions } from '../../vocab';

export function useCourses() {
  return useQuery({
    queryKey: ['courses', 'all'],
    queryFn: () => unwrap(api.GET('/api/v1/training/courses', { params: { query: { limit: 200 } } })),
  });
}

/** Writes a course's first version; an organisation's private one is published at once, its
 * shared one awaits verification; a platform administrator's (always shared) is verified at
 * once. Opens the course once written, or hands it to `onWritten`. */
export function NewCourse({ close, platform = false, onWritten }: { close: () => void; platform?: boolean; onWritten?: (course: Schemas['CourseOut']) => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const add = useWrite(
    (body: Schemas['CourseIn']) => unwrap(api.POST('/api/v1/training/courses', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['courses']],
  );
  return (
    <CourseForm
      label={t('training_edit.new_course')}
      initial={{ ...EMPTY_COURSE, visibility: platform ? 'shared' : 'private' }}
      withVisibility={!platform}
      close={close}
      onSave={async (d) => {
        const course = await add.mutateAsync({ visibility: d.visibility, ...courseBody(d) });
        close();
        if (onWritten) onWritten(course);
        else void navigate(`/training/library/${course.id}`);
      }}
    />
  );
}

export default function Library() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const [audience, setAudience] = useState<string | null>(null);
  const [language, setLanguage] = useState('');
  const [q, setQ] = useState('');
  const lang = language.trim().toLowerCase();
  const courses = useQuery({
    queryKey: ['courses', audience, lang, q.trim()],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/training/courses', {
          params: {
            query: {
              limit: 100,
              ...(audience ? { audience: audience as Schemas['Audience'] } : {}),
              ...(/^[a-z]{2}$/.test(lang) ? { language: lang } : {}),
              ...(q.trim().length >= 2 ? { q: q.trim() } : {}),
            },
          },
        }),
      ),
  });
  return (
    <Page title={t('nav.library')}>
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <TextInput label={t('library.search')} value={q} onChange={(e) => setQ(e.currentTarget.value)} />
        <Select label={t('library.audience')} placeholder={t('common.all')} clearable data={enumOptions(AUDIENCES, 'Audience', label)} value={audience} onChange={setAudience} />
        <TextInput label={t('library.language')} description={t('validation.language')} maxLength={2} value={language} onChange={(e) => setLanguage(e.currentTarget.value)} />
      </SimpleGrid>
      <ListCard
        id="courses-title"
        title={t('library.courses')}
        query={courses}
        addLabel={t('training_edit.new_course')}
        {...(can('training.manage') ? { renderForm: (close: () => void) => <NewCourse close={close} /> } : {})}
        columns={[
          {
            header: t('library.course'),
            cell: (c) => (
              <Anchor component={Link} to={`/training/library/${c.id}`}>
                {c.version.title}
              </Anchor>
            ),
          },
          { header: t('library.audience'), cell: (c) => c.version.audiences.map((a) => label('Audience', a)).join(', ') },
          { header: t('library.language'), cell: (c) => c.version.languages.join(', ') },
          { header: t('library.duration'), cell: (c) => fmt.number(c.version.duration_minutes) },
          {
            header: t('library.status'),
            cell: (c) => (
              <Group gap={4}>
                {c.platform_curated && <Badge variant="outline" color="indigo.9">{t('library.curated')}</Badge>}
                {c.visibility === 'private' && <Badge variant="outline" color="gray.7">{t('library.private')}</Badge>}
                {c.mine && c.verification_status === 'pending' && <Badge variant="outline" color="orange.9">{t('training_edit.pending')}</Badge>}
              </Group>
            ),
          },
        ]}
      />
    </Page>
  );
}
