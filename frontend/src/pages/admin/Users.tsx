import { useState } from 'react';
import { Alert, Button, Code, Group, Modal, MultiSelect, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, unwrapVersioned, type Schemas } from '../../api/client';
import { isProblem } from '../../api/problem';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useAuth, useMe } from '../../auth/AuthContext';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { ListCard } from '../../components/ListCard';
import { Page, QueryState } from '../../components/Page';
import { userPatch, userProblemKey } from './users';
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

const editSchema = z.object({
  roles: z.array(z.string()).min(1, 'validation.required'),
  status: z.string(),
});

/** Roles and status of one user, read with its version; and its deactivation, confirmed first. */
function EditUser({ id, close }: { id: string; close: () => void }) {
  const me = useMe();
  const user = useQuery({ queryKey: ['users', id], queryFn: () => unwrapVersioned(api.GET('/api/v1/users/{id}', { params: { path: { id } } })), staleTime: 0 });
  return <QueryState query={user}>{({ data, etag }) => <EditUserForm user={data} etag={etag} self={data.id === me.id} close={close} />}</QueryState>;
}

function EditUserForm({ user, etag, self, close }: { user: Schemas['UserOut']; etag: string; self: boolean; close: () => void }) {
  const { t } = useTranslation();
  const form = useZodForm(editSchema, { roles: user.roles, status: user.status });
  const [confirming, setConfirming] = useState(false);
  const refusal = (err: unknown) => {
    const key = isProblem(err) ? userProblemKey(err.status) : null;
    if (key) form.setFormError(t(key));
    else throw err;
  };
  const save = useWrite(
    (body: Schemas['UserPatchIn']) => unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id: user.id }, header: { 'If-Match': etag } }, body })),
    [['users']],
  );
  const remove = useWrite(() => unwrap(api.DELETE('/api/v1/users/{id}', { params: { path: { id: user.id } } })), [['users']]);
  const statuses = user.status === 'invited' ? ['invited'] : ['active', 'deactivated'];
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (d) => {
        const body = userPatch(user, d);
        if (body) {
          try {
            await save.mutateAsync(body);
          } catch (err) {
            refusal(err);
            return;
          }
        }
        close();
      })}
    >
      <Stack>
        <Text size="sm">{t('account.user_editing', { name: user.name })}</Text>
        <MultiSelect label={t('users.roles')} required data={ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))} value={form.values.roles} onChange={(v) => form.set('roles', v)} error={form.error('roles')} />
        <Select
          label={t('users.status')}
          data={statuses.map((s) => ({ value: s, label: t(`users.status_${s}`) }))}
          value={form.values.status}
          onChange={(v) => form.set('status', v ?? user.status)}
          allowDeselect={false}
          disabled={user.status === 'invited'}
        />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
        {!self && user.status !== 'deactivated' && (
          <Stack gap="xs" pt="sm" style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
            {confirming ? (
              <Alert color="red" role="alert" title={t('account.deactivate_confirm_title')}>
                <Stack gap="xs">
                  <Text size="sm">{t('account.deactivate_confirm', { name: user.name })}</Text>
                  <Group>
                    <Button
                      color="red"
                      loading={remove.isPending}
                      onClick={() =>
                        void remove.mutateAsync(undefined).then(close, (err: unknown) => {
                          setConfirming(false);
                          if (isProblem(err)) form.setFormError(t(err.status === 409 ? 'account.user_self' : 'errors.generic'));
                          else form.setFormError(t('errors.network'));
                        })
                      }
                    >
                      {t('account.deactivate_yes')}
                    </Button>
                    <Button variant="default" onClick={() => setConfirming(false)}>
                      {t('common.cancel')}
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            ) : (
              <Group>
                <Button color="red" variant="light" onClick={() => setConfirming(true)}>
                  {t('account.deactivate')}
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </Stack>
    </form>
  );
}

export default function Users() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const { can } = useAuth();
  const [invitation, setInvitation] = useState<Schemas['InvitationOut'] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const manage = can('users.manage');
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
          ...(manage
            ? [
                {
                  header: t('account.actions'),
                  cell: (u: Schemas['UserOut']) => (
                    <Button size="compact-sm" variant="light" onClick={() => setEditing(u.id)} aria-label={t('account.change_user', { name: u.name })}>
                      {t('account.change')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal closeButtonProps={{ 'aria-label': t('common.close') }} opened={editing !== null} onClose={() => setEditing(null)} title={t('account.change_user_title')}>
        {editing && <EditUser id={editing} close={() => setEditing(null)} />}
      </Modal>
    </Page>
  );
}
