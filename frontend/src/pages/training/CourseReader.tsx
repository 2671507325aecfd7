// Reading a course: its objectives and its modules, whose Markdown is rendered without any raw
// HTML (react-markdown escapes it), one module at a time.
import { useState } from 'react';
import { Badge, Card, Group, List, NavLink, SimpleGrid, Stack, Text, Title, Typography } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';

// A module's own headings sit below the module's title (a level-3 heading) in the page outline.
const MODULE_HEADINGS = { h1: 'h4', h2: 'h5', h3: 'h6', h4: 'h6', h5: 'h6' } as const;
import { api, unwrap } from '../../api/client';
import { Page, QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { useAuth } from '../../auth/AuthContext';
import { CourseVersions } from './CourseVersions';

export default function CourseReader() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { id = '' } = useParams();
  const { can } = useAuth();
  const [current, setCurrent] = useState(0);
  const course = useQuery({
    queryKey: ['course', id],
    queryFn: () => unwrap(api.GET('/api/v1/training/courses/{id}', { params: { path: { id } } })),
  });
  return (
    <Page title={t('library.course')}>
      <QueryState query={course}>
        {(c) => {
          const v = c.version;
          const modules = [...v.modules].sort((a, b) => a.position - b.position);
          const module = modules[current];
          return (
            <Stack>
              <Title order={2} size="h3">
                {v.title}
              </Title>
              <Group gap="xs">
                {v.audiences.map((a) => (
                  <Badge key={a} variant="outline" color="indigo.9">
                    {label('Audience', a)}
                  </Badge>
                ))}
                <Text size="sm">{t('library.minutes', { n: fmt.number(v.duration_minutes) })}</Text>
              </Group>
              <Text>{v.summary}</Text>
              {v.objectives.length > 0 && (
                <Card withBorder component="section" aria-labelledby="objectives-title">
                  <Title order={3} size="h5" id="objectives-title" mb="xs">
                    {t('library.objectives')}
                  </Title>
                  <List>
                    {v.objectives.map((o) => (
                      <List.Item key={o}>{o}</List.Item>
                    ))}
                  </List>
                </Card>
              )}
              <SimpleGrid cols={{ base: 1, md: 4 }}>
                <nav aria-label={t('library.modules')}>
                  {modules.map((m, i) => (
                    <NavLink
                      key={m.id}
                      component="button"
                      label={`${i + 1}. ${m.title}`}
                      active={i === current}
                      variant="filled"
                      aria-current={i === current ? 'step' : undefined}
                      onClick={() => setCurrent(i)}
                    />
                  ))}
                </nav>
                <Card withBorder component="article" aria-labelledby="module-title" style={{ gridColumn: 'span 3' }}>
                  {module && (
                    <>
                      <Title order={3} size="h4" id="module-title" mb="sm">
                        {module.title}
                      </Title>
                      <Typography>
                        <div data-testid="module-content">
                          <Markdown remarkPlugins={[remarkGfm]} components={MODULE_HEADINGS}>
                            {module.content_markdown}
                          </Markdown>
                        </div>
                      </Typography>
                    </>
                  )}
                </Card>
              </SimpleGrid>
              <CourseVersions course={c} manage={can('training.manage')} />
            </Stack>
          );
        }}
      </QueryState>
    </Page>
  );
}
