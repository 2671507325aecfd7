// A searchable choice of one entry of the referral directory: the entries the caller may see,
// found by words as they are typed (two letters or more), shown with their city and country.
import { useState } from 'react';
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../api/client';

type Entry = Schemas['EntryOut'];

/** How an entry is named in the choice. */
export const entryLabel = (o: Entry) => `${o.name} (${[o.city, o.country].filter(Boolean).join(', ')})`;

export function DirectoryPicker({
  label,
  value,
  chosenLabel,
  onChange,
  required,
  clearable,
  error,
  style,
}: {
  label: string;
  /** The chosen entry's id. */
  value: string | null;
  /** Names a chosen entry that the current search did not return (one chosen earlier). */
  chosenLabel?: string;
  onChange: (entry: Entry | null) => void;
  required?: boolean;
  clearable?: boolean;
  error?: string;
  style?: React.CSSProperties;
}) {
  const { t } = useTranslation();
  const [words, setWords] = useState('');
  const [picked, setPicked] = useState<Entry | null>(null);
  const q = words.trim();
  const found = useQuery({
    queryKey: ['directory', 'pick', q],
    queryFn: () => unwrap(api.GET('/api/v1/directory/organisations', { params: { query: { limit: 20, ...(q.length >= 2 ? { q } : {}) } } })),
  });
  const options = found.data?.items ?? [];
  const data = options.map((o) => ({ value: o.id, label: entryLabel(o) }));
  if (value && !options.some((o) => o.id === value)) {
    data.unshift({ value, label: picked?.id === value ? entryLabel(picked) : (chosenLabel ?? t('directory.entry_linked')) });
  }
  return (
    <Select
      label={label}
      required={required}
      clearable={clearable}
      searchable
      searchValue={words}
      onSearchChange={setWords}
      filter={({ options: all }) => all}
      nothingFoundMessage={t('common.none')}
      data={data}
      value={value}
      onChange={(id) => {
        const entry = options.find((o) => o.id === id) ?? null;
        setPicked(entry);
        onChange(entry);
      }}
      error={error}
      style={style}
    />
  );
}
