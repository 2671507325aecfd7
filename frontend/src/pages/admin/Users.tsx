import { useState } from 'react';
import { Alert, Code, MultiSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useAuth } from '../../auth/AuthContext';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ListCard } from '../../components/ListCard';
import { Page } from '../../components/Page';
import { useFormat } from '../../i18n/format';

export const ROLES = ['tenant_admin', 'shelter_manager', 'case_worker', 'shelter_staff', 'trainer', 'analyst'] as const;

const schema = z.object({
  email: z.string().trim().email('validation.email').max(254, 'validation.too_long'),
  name: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  roles: z.array(z.string()).min(1, 'validation.required'),
});

function InviteForm({ close, onInvited }: { close: () => void; onInvited: (i: Schemas['InvitationOut']) => void }) {
  const { t } = useTranslation();
  const form = useZodForm(schema, { email: '', name: '', roles: [] });
  const invite = useWrite(
    (body: Schemas['UserIn']) => unwrap(api.POST('/api/v1/users', { body, headers: { 'Idempotency-Key': idempotencyKey() } })),
    [['users']],
  );
  return (
    <form noValidate onSubmit={form.onSubmit(async (d) => { onInvited(await invite.mutateAsync(d)); close(); })}>
      <Stack mb="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput label={t('users.email')} type="email" required value={form.values.email} onChange={(e) => form.set('email', e.currentTarget.value)} error={form.error('email')} autoComplete="off" />
          <TextInput label={t('users.name')} required value={form.values.name} onChange={(e) => form.set('name', e.currentTarget.value)} error={form.error('name')} autoComplete="off" />
          <MultiSelect label={t('users.roles')} required data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={form.values.roles} onChange={(v) => form.set('roles', v)} error={form.error('roles')} />
        </SimpleGrid>
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}

export default function Users() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const [invitation, setInvitation] = useState<Schemas['InvitationOut'] | null>(null);
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 200 } } })) });
  return (
    <Page title={t('nav.users')}>
      {invitation && (
        <Alert color="blue" title={t('users.invited')} withCloseButton onClose={() => setInvitation(null)} closeButtonLabel={t('common.close')}>
          {t('users.invitation_token')} <Code>{invitation.set_password_token}</Code>
        </Alert>
      )}
      <ListCard
        id="users-title"
        title={t('users.title')}
        query={users}
        addLabel={t('users.invite')}
        {...(can('users.manage') ? { renderForm: (close: () => void) => <InviteForm close={close} onInvited={setInvitation} /> } : {})}
        columns={[
          { header: t('users.name'), cell: (u) => u.name },
          { header: t('users.email'), cell: (u) => u.email },
          { header: t('users.roles'), cell: (u) => u.roles.map((r) => t(`roles.${r}`, { defaultValue: r })).join(', ') },
          { header: t('users.status'), cell: (u) => t(`users.status_${u.status}`, { defaultValue: u.status }) },
          { header: t('cases.updated'), cell: (u) => fmt.date(u.updated_at) },
        ]}
      />
    </Page>
  );
}
