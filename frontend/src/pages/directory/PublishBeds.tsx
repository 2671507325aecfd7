// On the organisation's own directory entry: which of its shelters publishes tonight's free
// beds there (counts by admission policy, never an address), or none.
import { useState } from 'react';
import { Alert, Button, Card, Group, Select, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { useShelters } from '../../api/queries';
import { useWrite } from '../../api/mutate';
import { problemDetail } from '../../api/problem';

export function PublishBeds({ entry }: { entry: Schemas['EntryOut'] }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const shelters = useShelters();
  const [shelter, setShelter] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const publish = useWrite(
    (shelter_id: string | null) => unwrap(api.PUT('/api/v1/directory/organisations/{id}/beds', { params: { path: { id: entry.id } }, body: { shelter_id } })),
    [['directory']],
  );
  const send = (shelterId: string | null) => {
    setError(null);
    setDone(null);
    publish.mutate(shelterId, {
      onSuccess: (out) => {
        client.setQueryData(['directory-entry', entry.id], out);
        setDone(t(shelterId ? 'publish_beds.published' : 'publish_beds.stopped'));
      },
      onError: (err) => setError(problemDetail(err, t('errors.network'))),
    });
  };
  return (
    <Card withBorder component="section" aria-labelledby="publish-beds-title">
      <Title order={3} size="h5" id="publish-beds-title" mb="xs">
        {t('publish_beds.title')}
      </Title>
      <Stack gap="xs">
        <Text size="sm">{t('publish_beds.hint')}</Text>
        <Group align="flex-end">
          <Select
            label={t('publish_beds.shelter')}
            data={(shelters.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))}
            value={shelter}
            onChange={setShelter}
          />
          <Button disabled={!shelter} loading={publish.isPending && publish.variables !== null} onClick={() => send(shelter)}>
            {t('publish_beds.publish')}
          </Button>
          {entry.beds_tonight && (
            <Button variant="default" loading={publish.isPending && publish.variables === null} onClick={() => send(null)}>
              {t('publish_beds.stop')}
            </Button>
          )}
        </Group>
        {done && (
          <Alert color="teal" role="status">
            {done}
          </Alert>
        )}
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
