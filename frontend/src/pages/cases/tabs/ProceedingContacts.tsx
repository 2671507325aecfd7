// The people and bodies involved in a proceeding (police unit, prosecutor, lawyer, court),
// edited as a list; an organisation can be linked to its entry in the referral directory. Names are sealed and shown only to those who may read identities; the API
// replaces the whole list, so only they are offered the editor.
import { Fieldset, Select, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { DirectoryPicker } from '../../../components/DirectoryPicker';
import { useEnumLabel } from '../../../components/EnumLabel';
import { ListEditor } from '../../../components/ListEditor';
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

/** Links a contact to a directory entry (or unlinks it); a linked contact without an
 * organisation's name takes the entry's. */
export function linkEntry(c: ContactDraft, entry: Schemas['EntryOut'] | null): Partial<ContactDraft> {
  if (!entry) return { directory_organisation_id: null };
  return { directory_organisation_id: entry.id, ...(c.organisation.trim() ? {} : { organisation: entry.name }) };
}

export function ContactsEditor({ value, onChange }: { value: ContactDraft[]; onChange: (next: ContactDraft[]) => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <ListEditor
      legend={t('legal_edit.contacts')}
      none={t('legal_edit.contacts_none')}
      items={value}
      onChange={onChange}
      itemLabel={(n) => t('legal_edit.contact_n', { n })}
      removeLabel={(n) => t('legal_edit.contact_remove', { n })}
      addLabel={t('legal_edit.contact_add')}
      newItem={(): ContactDraft | null => (value.length < MAX_CONTACTS ? { role: 'lawyer', name: '', organisation: '', directory_organisation_id: null } : null)}
    >
      {(c, change) => (
        <>
          <Select
            label={t('legal_edit.contact_role')}
            data={enumOptions(LEGAL_CONTACT_ROLES, 'LegalContactRole', label)}
            value={c.role}
            onChange={(v) => v && change({ role: v as Schemas['LegalContactRole'] })}
            allowDeselect={false}
            w={150}
          />
          <TextInput label={t('legal_edit.contact_name')} maxLength={200} value={c.name} onChange={(e) => change({ name: e.currentTarget.value })} style={{ flex: 1, minWidth: 140 }} />
          <TextInput label={t('legal_edit.contact_organisation')} maxLength={200} value={c.organisation} onChange={(e) => change({ organisation: e.currentTarget.value })} style={{ flex: 1, minWidth: 140 }} />
          <DirectoryPicker
            label={t('legal_edit.contact_directory')}
            clearable
            value={c.directory_organisation_id}
            chosenLabel={c.organisation.trim() || undefined}
            onChange={(entry) => change(linkEntry(c, entry))}
            style={{ flex: 1, minWidth: 200 }}
          />
        </>
      )}
    </ListEditor>
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
