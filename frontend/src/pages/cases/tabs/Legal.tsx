// The legal side of a case: its proceedings (changed with their version, contacts included), the hearings of one
// proceeding, the procedure steps started by hand and the deadlines they bring.
import { useState } from 'react';
import { Button, Group, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../../api/client';
import { idempotencyKey, useWrite } from '../../../api/mutate';
import { useZodForm } from '../../../forms/useZodForm';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { ChangeRecord } from '../../../components/EditDialog';
import { useAuth } from '../../../auth/AuthContext';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useFormat } from '../../../i18n/format';
import { enumOptions, PROCEEDING_ROLES, PROCEEDING_STATUSES, PROCEEDING_TYPES } from '../../../vocab';
import type { TabProps } from './Overview';
import { Hearings } from './Hearings';
import { CaseDeadlines, ProcedureStep } from './Deadlines';
import { type ContactDraft, ContactsEditor, ContactsShown, contactDrafts, contactsIn } from './ProceedingContacts';

const schema = z.object({
  type: z.enum(PROCEEDING_TYPES as [Schemas['ProceedingType'], ...Schemas['ProceedingType'][]], { message: 'validation.required' }),
  client_role: z.enum(PROCEEDING_ROLES as [Schemas['ProceedingRole'], ...Schemas['ProceedingRole'][]], { message: 'validation.required' }),
  status: z.enum(PROCEEDING_STATUSES as [Schemas['ProceedingStatus'], ...Schemas['ProceedingStatus'][]], { message: 'validation.required' }),
  jurisdiction: z.string().max(200, 'validation.too_long').optional(),
});

function ProceedingForm({ caseId, close }: { caseId: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(schema, {
    type: undefined as unknown as Schemas['ProceedingType'],
    client_role: undefined as unknown as Schemas['ProceedingRole'],
    status: 'considering',
    jurisdiction: '',
  });
  const add = useWrite(
    (body: Schemas['ProceedingIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/proceedings', { params: { path: { id: caseId } }, body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['proceedings', caseId], ['timeline', caseId]],
  );
  return (
    <form
      noValidate
      aria-label={t('legal.add')}
      onSubmit={form.onSubmit(async (d) => {
        await add.mutateAsync({ type: d.type, client_role: d.client_role, status: d.status, ...(d.jurisdiction?.trim() ? { jurisdiction: d.jurisdiction.trim() } : {}) });
        close();
      })}
    >
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label={t('legal.type')} required data={enumOptions(PROCEEDING_TYPES, 'ProceedingType', label)} value={form.values.type ?? null} onChange={(v) => form.set('type', v as Schemas['ProceedingType'])} error={form.error('type')} />
          <Select label={t('legal.client_role')} required data={enumOptions(PROCEEDING_ROLES, 'ProceedingRole', label)} value={form.values.client_role ?? null} onChange={(v) => form.set('client_role', v as Schemas['ProceedingRole'])} error={form.error('client_role')} />
          <Select label={t('legal.status')} required data={enumOptions(PROCEEDING_STATUSES, 'ProceedingStatus', label)} value={form.values.status} onChange={(v) => form.set('status', v as Schemas['ProceedingStatus'])} error={form.error('status')} />
          <TextInput label={t('legal.jurisdiction')} value={form.values.jurisdiction ?? ''} onChange={(e) => form.set('jurisdiction', e.currentTarget.value)} error={form.error('jurisdiction')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

const editSchema = schema.extend({
  reference: z.string().max(200, 'validation.too_long').optional(),
});

/** The fields of a proceeding as a change: blanks clear; the reference, and the contacts when
 * they changed, only when they were shown (the API replaces the contacts whole, names included). */
export function proceedingPatch(p: Schemas['ProceedingOut'], d: z.output<typeof editSchema>, contacts: ContactDraft[] = contactDrafts(p.contacts)): Schemas['ProceedingPatchIn'] {
  const text = (v: string | undefined) => (v?.trim() ? v.trim() : null);
  const nextContacts = contactsIn(contacts);
  const contactsChanged = JSON.stringify(nextContacts) !== JSON.stringify(contactsIn(contactDrafts(p.contacts)));
  return {
    type: d.type,
    client_role: d.client_role,
    status: d.status,
    jurisdiction: text(d.jurisdiction),
    ...(p.sealed_shown ? { reference: text(d.reference) } : {}),
    ...(p.sealed_shown && contactsChanged ? { contacts: nextContacts } : {}),
  };
}

function EditProceeding({ proceeding, etag, close }: { proceeding: Schemas['ProceedingOut']; etag: string; close: () => void }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(editSchema, {
    type: proceeding.type,
    client_role: proceeding.client_role,
    status: proceeding.status,
    jurisdiction: proceeding.jurisdiction ?? '',
    reference: proceeding.reference ?? '',
  });
  const [contacts, setContacts] = useState<ContactDraft[]>(() => contactDrafts(proceeding.contacts));
  const save = useWrite(
    (body: Schemas['ProceedingPatchIn']) =>
      unwrap(api.PATCH('/api/v1/proceedings/{id}', { params: { path: { id: proceeding.id }, header: { 'If-Match': etag } }, body })),
    [['proceedings', proceeding.case_id], ['timeline', proceeding.case_id]],
  );
  return (
    <form
      noValidate
      aria-label={t('legal_edit.change_title')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync(proceedingPatch(proceeding, d, contacts));
        close();
      })}
    >
      <Stack>
        <Select label={t('legal.type')} required data={enumOptions(PROCEEDING_TYPES, 'ProceedingType', label)} value={form.values.type} onChange={(v) => v && form.set('type', v as Schemas['ProceedingType'])} allowDeselect={false} />
        <Select label={t('legal.client_role')} required data={enumOptions(PROCEEDING_ROLES, 'ProceedingRole', label)} value={form.values.client_role} onChange={(v) => v && form.set('client_role', v as Schemas['ProceedingRole'])} allowDeselect={false} />
        <Select label={t('legal.status')} required data={enumOptions(PROCEEDING_STATUSES, 'ProceedingStatus', label)} value={form.values.status} onChange={(v) => v && form.set('status', v as Schemas['ProceedingStatus'])} allowDeselect={false} />
        <TextInput label={t('legal.jurisdiction')} maxLength={200} value={form.values.jurisdiction ?? ''} onChange={(e) => form.set('jurisdiction', e.currentTarget.value)} error={form.error('jurisdiction')} />
        {proceeding.sealed_shown && (
          <TextInput label={t('legal_edit.reference')} description={t('legal_edit.reference_hint')} maxLength={200} value={form.values.reference ?? ''} onChange={(e) => form.set('reference', e.currentTarget.value)} error={form.error('reference')} />
        )}
        {proceeding.sealed_shown ? <ContactsEditor value={contacts} onChange={setContacts} /> : proceeding.contacts.length > 0 && <ContactsShown contacts={proceeding.contacts} />}
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Legal({ caseId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const { can } = useAuth();
  const works = can('cases.work');
  const [shown, setShown] = useState<Schemas['ProceedingOut'] | null>(null);
  const proceedings = useQuery({
    queryKey: ['proceedings', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/proceedings', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <Stack>
      <ListCard
        id="legal-title"
        title={t('legal.title')}
        query={proceedings}
        addLabel={t('legal.add')}
        {...(works ? { renderForm: (close: () => void) => <ProceedingForm caseId={caseId} close={close} /> } : {})}
        columns={[
          { header: t('legal.type'), cell: (p) => label('ProceedingType', p.type) },
          { header: t('legal.client_role'), cell: (p) => label('ProceedingRole', p.client_role) },
          { header: t('legal.status'), cell: (p) => label('ProceedingStatus', p.status) },
          { header: t('legal.jurisdiction'), cell: (p) => p.jurisdiction ?? '—' },
          { header: t('cases.updated'), cell: (p) => fmt.date(p.updated_at) },
          {
            header: t('casework.actions'),
            cell: (p) => {
              const type = label('ProceedingType', p.type);
              return (
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant={shown?.id === p.id ? 'filled' : 'light'} aria-pressed={shown?.id === p.id} aria-label={t('legal_edit.hearings_named', { type })} onClick={() => setShown(shown?.id === p.id ? null : p)}>
                    {t('legal_edit.hearings')}
                  </Button>
                  {works && (
                    <ChangeRecord
                      label={t('legal_edit.change')}
                      ariaLabel={t('legal_edit.change_named', { type })}
                      title={t('legal_edit.change_title')}
                      queryKey={['proceeding', p.id]}
                      read={() => unwrapVersioned(api.GET('/api/v1/proceedings/{id}', { params: { path: { id: p.id } } }))}
                    >
                      {(full, etag, close) => <EditProceeding proceeding={full} etag={etag} close={close} />}
                    </ChangeRecord>
                  )}
                </Group>
              );
            },
          },
        ]}
      />
      {shown && <Hearings proceeding={shown} works={works} />}
      {works && <ProcedureStep caseId={caseId} />}
      <CaseDeadlines caseId={caseId} works={works} />
    </Stack>
  );
}
