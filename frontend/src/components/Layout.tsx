import { type ReactNode } from 'react';
import { Anchor, AppShell, Burger, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Link, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useAuth, useMe } from '../auth/AuthContext';
import { visibleNav } from '../nav';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Notifications } from './Notifications';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const me = useMe();
  const { logout, lock } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const entries = visibleNav(me.kind, me.permissions);
  // Platform administrators have no organisation account: no notifications, and their password
  // changes from the command line.
  const member = me.kind !== 'platform_admin';
  const active = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname.startsWith(to));

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <a href="#main" className="skip-link">
          {t('common.skip_to_content')}
        </a>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('common.menu')} />
            <Anchor component={Link} to="/" fw={700} size="lg" underline="never">
              Haven
            </Anchor>
            {me.tenant && (
              <Text size="sm" c="dimmed" visibleFrom="xs">
                {me.tenant.name}
              </Text>
            )}
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitcher />
            {member && <Notifications />}
            <Text size="sm" visibleFrom="md" data-testid="signed-in-as">
              {me.name}
            </Text>
            {member && (
              <Button size="xs" variant="subtle" component={Link} to="/account" aria-current={location.pathname === '/account' ? 'page' : undefined}>
                {t('account.nav')}
              </Button>
            )}
            <Button size="xs" variant="default" onClick={() => void lock()}>
              {t('auth.lock')}
            </Button>
            <Button size="xs" variant="light" onClick={() => void logout()}>
              {t('auth.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.label')} component="nav">
        <Stack gap={2}>
          {entries.map((entry) => (
            <NavLink
              key={entry.to}
              component={Link}
              to={entry.to}
              label={t(entry.label)}
              active={active(entry.to)}
              variant="filled"
              aria-current={active(entry.to) ? 'page' : undefined}
              onClick={close}
            />
          ))}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
