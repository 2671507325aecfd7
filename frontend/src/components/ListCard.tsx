// A titled table of records with an optional form to add one, the shape most case tabs share.
import { useState, type ReactNode } from 'react';
import { Button, Card, Group, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryState } from './Page';

export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
}

export function ListCard<T extends { id: string }>({
  id,
  title,
  query,
  columns,
  addLabel,
  renderForm,
  intro,
}: {
  id: string;
  title: string;
  query: { isPending: boolean; error: unknown; data: { items: T[] } | undefined };
  columns: Column<T>[];
  addLabel?: string;
  renderForm?: (close: () => void) => ReactNode;
  /** Shown between the title and the table (e.g. a hint or a search field). */
  intro?: ReactNode;
}) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id={id}>
          {title}
        </Title>
        {renderForm && !adding && (
          <Button size="xs" variant="light" onClick={() => setAdding(true)}>
            {addLabel ?? t('common.add')}
          </Button>
        )}
      </Group>
      {intro}
      {adding && renderForm?.(() => setAdding(false))}
      <QueryState query={query}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="dimmed">{t('common.none')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={500}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    {columns.map((c) => (
                      <Table.Th key={c.header}>{c.header}</Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((row) => (
                    <Table.Tr key={row.id}>
                      {columns.map((c) => (
                        <Table.Td key={c.header}>{c.cell(row)}</Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Card>
  );
}
