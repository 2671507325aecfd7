// A list of small records edited in place inside a form: one bordered group per item with a
// remove button, and an add button below (a proceeding's contacts, an interview's risks).
import type { ReactNode } from 'react';
import { Button, Fieldset, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function ListEditor<T>({
  legend,
  none,
  items,
  onChange,
  itemLabel,
  removeLabel,
  addLabel,
  newItem,
  children,
}: {
  legend: string;
  /** Shown when the list is empty. */
  none: string;
  items: T[];
  onChange: (next: T[]) => void;
  /** The accessible name of the n-th item's group (from 1). */
  itemLabel: (n: number) => string;
  removeLabel: (n: number) => string;
  addLabel: string;
  /** The item the add button appends, or `null` when no more may be added. */
  newItem: () => T | null;
  /** The fields of one item; `change` merges a change into it. */
  children: (item: T, change: (patch: Partial<T>) => void, i: number) => ReactNode;
}) {
  const { t } = useTranslation();
  const next = newItem();
  return (
    <Fieldset legend={legend}>
      <Stack gap="xs">
        {items.length === 0 && (
          <Text size="sm" c="dimmed">
            {none}
          </Text>
        )}
        {items.map((item, i) => (
          <Paper key={i} withBorder p="xs" role="group" aria-label={itemLabel(i + 1)}>
            <Group align="flex-end" gap="xs" wrap="wrap">
              {children(item, (patch) => onChange(items.map((it, j) => (j === i ? { ...it, ...patch } : it))), i)}
              <Button variant="subtle" color="red" aria-label={removeLabel(i + 1)} onClick={() => onChange(items.filter((_, j) => j !== i))}>
                {t('common.remove')}
              </Button>
            </Group>
          </Paper>
        ))}
        <Group>
          <Button variant="light" size="compact-sm" disabled={next === null} onClick={() => next !== null && onChange([...items, next])}>
            {addLabel}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
