// One case, in tabs. The URL holds only the case id and the tab.
import { lazy, Suspense } from 'react';
import { Badge, Group, Tabs, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../../api/client';
import { useAuth } from '../../auth/AuthContext';
import { Loading, Page, QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';

const TABS = {
  overview: lazy(() => import('./tabs/Overview')),
  support: lazy(() => import('./tabs/SupportPlan')),
  services: lazy(() => import('./tabs/Services')),
  documents: lazy(() => import('./tabs/Documents')),
  legal: lazy(() => import('./tabs/Legal')),
  notes: lazy(() => import('./tabs/Notes')),
  interviews: lazy(() => import('./tabs/Interviews')),
  referrals: lazy(() => import('./tabs/Referrals')),
  tasks: lazy(() => import('./tabs/Tasks')),
  timeline: lazy(() => import('./tabs/Timeline')),
} as const;
type TabName = keyof typeof TABS;
const TAB_NAMES = Object.keys(TABS) as TabName[];
/** Tabs whose label lives outside `cases.tabs`. */
const TAB_LABELS: Partial<Record<TabName, string>> = { interviews: 'case_records.interviews' };

export function useCase(id: string) {
  return useQuery({
    queryKey: ['case', id],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}', { params: { path: { id } } })),
  });
}

/** Whether the signed-in user may change the case's records now: they work on cases and the case
 * is open (a closed case's records are its final account; the API refuses changes to them). */
export function useCaseWritable(id: string) {
  const { can } = useAuth();
  const caseQuery = useCase(id);
  return can('cases.work') && caseQuery.data !== undefined && caseQuery.data.stage !== 'closed';
}

export default function CaseView() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const navigate = useNavigate();
  const { id = '', tab } = useParams();
  const current: TabName = TAB_NAMES.includes(tab as TabName) ? (tab as TabName) : 'overview';
  const caseQuery = useCase(id);
  const Panel = TABS[current];
  return (
    <Page title={t('cases.case')}>
      <QueryState query={caseQuery}>
        {(c) => (
          <>
            <Group>
              <Text fw={700} size="xl" data-testid="case-code">
                {c.case_code}
              </Text>
              <Badge size="lg" variant="light">
                {label('Stage', c.stage)}
              </Badge>
            </Group>
            <Tabs value={current} onChange={(v) => v && void navigate(`/cases/${id}/${v}`)}>
              <Tabs.List aria-label={t('cases.sections')}>
                {TAB_NAMES.map((name) => (
                  <Tabs.Tab key={name} value={name}>
                    {t(TAB_LABELS[name] ?? `cases.tabs.${name}`)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {TAB_NAMES.map((name) => (
                <Tabs.Panel key={name} value={name} pt="md">
                  {name === current && (
                    <Suspense fallback={<Loading />}>
                      <Panel caseId={id} clientId={c.client_id} />
                    </Suspense>
                  )}
                </Tabs.Panel>
              ))}
            </Tabs>
          </>
        )}
      </QueryState>
    </Page>
  );
}
