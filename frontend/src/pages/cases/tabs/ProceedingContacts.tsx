// The people and bodies involved in a proceeding (police unit, prosecutor, lawyer, court),
// edited as a list. Names are sealed and shown only to those who may read identities; the API
// replaces the whole list, so only they are offered the editor.
import { Button, Fieldset, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { useEnumLabel } from '../../../components/EnumLabel';
import { enumOptions, LEGAL_CONTACT_ROLES } from '../../../vocab';

/** Most contacts of one proceeding, as the API allows. */
export const MAX_CONTACTS = 30;

export type ContactDraft = {
  role: Schemas['LegalContactRole'];
  name: string;
  organisation: string;
  directory_organisation_id: string | null;
};

export function contactDrafts(contacts: Schemas['ContactOut'][]): ContactDraft[] {
  return contacts.map((c) => ({
    role: c.role,
    name: c.name ?? '',
    organisation: c.organisation ?? '',
    directory_organisation_id: c.directory_organisation_id ?? null,
  }));
}

/** The list as the API takes it: trimmed, blanks as `null`, rows naming no one left out. */
export function contactsIn(drafts: ContactDraft[]): Schemas['ContactIn'][] {
  const text = (v: string) => (v.trim() ? v.trim() : null);
  return drafts
    .map((d) => ({ role: d.role, name: text(d.name), organisation: text(d.organisation), directory_organisation_id: d.directory_organisation_id }))
    .filter((c) => c.name !== null || c.organisation !== null || c.directory_organisation_id !== null);
}

export function ContactsEditor({ value, onChange }: { value: ContactDraft[]; onChange: (next: ContactDraft[]) => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const change = (i: number, patch: Partial<ContactDraft>) => onChange(value.map((c, j) => (j === i ? { ...c, ...patch } : c)));
  return (
    <Fieldset legend={t('legal_edit.contacts')}>
      <Stack gap="xs">
        {value.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('legal_edit.contacts_none')}
          </Text>
        )}
        {value.map((c, i) => {
          const n = i + 1;
          return (
            <Paper key={i} withBorder p="xs" role="group" aria-label={t('legal_edit.contact_n', { n })}>
              <Group align="flex-end" gap="xs" wrap="wrap">
                <Select
                  label={t('legal_edit.contact_role')}
                  data={enumOptions(LEGAL_CONTACT_ROLES, 'LegalContactRole', label)}
                  value={c.role}
                  onChange={(v) => v && change(i, { role: v as Schemas['LegalContactRole'] })}
                  allowDeselect={false}
                  w={150}
                />
                <TextInput label={t('legal_edit.contact_name')} maxLength={200} value={c.name} onChange={(e) => change(i, { name: e.currentTarget.value })} style={{ flex: 1, minWidth: 140 }} />
                <TextInput label={t('legal_edit.contact_organisation')} maxLength={200} value={c.organisation} onChange={(e) => change(i, { organisation: e.currentTarget.value })} style={{ flex: 1, minWidth: 140 }} />
                <Button variant="subtle" color="red" aria-label={t('legal_edit.contact_remove', { n })} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  {t('legal_edit.remove')}
                </Button>
              </Group>
            </Paper>
          );
        })}
        <Group>
          <Button
            variant="light"
            size="compact-sm"
            disabled={value.length >= MAX_CONTACTS}
            onClick={() => onChange([...value, { role: 'lawyer', name: '', organisation: '', directory_organisation_id: null }])}
          >
            {t('legal_edit.contact_add')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

/** The contacts as read by someone who may not read names: roles and organisations only. */
export function ContactsShown({ contacts }: { contacts: Schemas['ContactOut'][] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <Fieldset legend={t('legal_edit.contacts')}>
      <Stack gap={4}>
        {contacts.map((c, i) => (
          <Text key={i} size="sm">
            {label('LegalContactRole', c.role)}
            {c.organisation ? ` · ${c.organisation}` : ''}
          </Text>
        ))}
        <Text size="sm" c="dimmed">
          {t('legal_edit.contacts_hidden')}
        </Text>
      </Stack>
    </Fieldset>
  );
}
