import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { DirectionProvider, MantineProvider, useDirection } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { cssVariablesResolver, theme } from './theme';
import { AuthProvider, useAuth } from './auth/AuthContext';
import { Loading } from './components/Page';
import { Layout } from './components/Layout';
import { LoginPage } from './pages/LoginPage';
import { LockScreen } from './pages/LockScreen';
import { isProblem } from './api/problem';

// Each screen is its own chunk, fetched when first opened.
const Dashboard = lazy(() => import('./pages/Dashboard'));
const Agenda = lazy(() => import('./pages/Agenda'));
const CasesList = lazy(() => import('./pages/cases/CasesList'));
const CaseView = lazy(() => import('./pages/cases/CaseView'));
const IntakeWizard = lazy(() => import('./pages/intake/IntakeWizard'));
const Shelters = lazy(() => import('./pages/shelters/Shelters'));
const BedBoard = lazy(() => import('./pages/shelters/BedBoard'));
const Incidents = lazy(() => import('./pages/Incidents'));
const Users = lazy(() => import('./pages/admin/Users'));
const Settings = lazy(() => import('./pages/admin/Settings'));
const AuditLog = lazy(() => import('./pages/admin/AuditLog'));
const Erasures = lazy(() => import('./pages/admin/Erasures'));
const Tenants = lazy(() => import('./pages/platform/Tenants'));
const Engagements = lazy(() => import('./pages/training/Engagements'));
const Library = lazy(() => import('./pages/training/Library'));
const CourseReader = lazy(() => import('./pages/training/CourseReader'));
const Sessions = lazy(() => import('./pages/training/Sessions'));
const Directory = lazy(() => import('./pages/directory/Directory'));
const DirectoryEntry = lazy(() => import('./pages/directory/DirectoryEntry'));
const Incoming = lazy(() => import('./pages/referrals/Incoming'));
const Outgoing = lazy(() => import('./pages/referrals/Outgoing'));
const Reports = lazy(() => import('./pages/reports/Reports'));
const Curation = lazy(() => import('./pages/platform/Curation'));
const Statistics = lazy(() => import('./pages/platform/Statistics'));
const Account = lazy(() => import('./pages/account/Account'));
const NotFound = lazy(() => import('./pages/NotFound'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      retry: (count, err) => !isProblem(err) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function Gate() {
  const { state, can } = useAuth();
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'anonymous') return <LoginPage reason={state.reason} />;
  if (state.status === 'locked') return <LockScreen who={state.who} />;
  const platform = state.me.kind === 'platform_admin';
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Routes>
          {platform ? (
            <>
              <Route path="/" element={<Navigate to="/platform/tenants" replace />} />
              <Route path="/platform/tenants" element={<Tenants />} />
              <Route path="/platform/curation" element={<Curation />} />
              <Route path="/platform/statistics" element={<Statistics />} />
            </>
          ) : (
            <>
              <Route path="/" element={<Dashboard />} />
              <Route path="/account" element={<Account />} />
              {(can('cases.work') || can('cases.read_all')) && <Route path="/agenda" element={<Agenda />} />}
              {(can('cases.work') || can('cases.read_all')) && <Route path="/cases" element={<CasesList />} />}
              {(can('cases.work') || can('cases.read_all')) && <Route path="/cases/:id/:tab?" element={<CaseView />} />}
              {can('cases.work') && <Route path="/intake" element={<IntakeWizard />} />}
              {can('shelters.read') && <Route path="/shelters" element={<Shelters />} />}
              {can('shelters.read') && <Route path="/shelters/:id" element={<BedBoard />} />}
              {can('shelters.read') && <Route path="/incidents" element={<Incidents />} />}
              {can('reports.read') && <Route path="/reports" element={<Reports />} />}
              <Route path="/directory" element={<Directory />} />
              <Route path="/directory/:id" element={<DirectoryEntry />} />
              {can('referrals.receive') && <Route path="/referrals/incoming" element={<Incoming />} />}
              {can('cases.work') && <Route path="/referrals/outgoing" element={<Outgoing />} />}
              {can('training.read') && <Route path="/training/engagements" element={<Engagements />} />}
              {can('training.read') && <Route path="/training/library" element={<Library />} />}
              {can('training.read') && <Route path="/training/library/:id" element={<CourseReader />} />}
              {can('training.read') && <Route path="/training/sessions" element={<Sessions />} />}
              {can('users.read') && <Route path="/admin/users" element={<Users />} />}
              {can('tenant.settings') && <Route path="/admin/settings" element={<Settings />} />}
              {can('audit.read') && <Route path="/admin/audit" element={<AuditLog />} />}
              {can('clients.erase') && <Route path="/admin/erasures" element={<Erasures />} />}
            </>
          )}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

/** Keeps Mantine's layout direction with the language (right-to-left languages flip it). */
function DirectionSync() {
  const { setDirection } = useDirection();
  const { i18n } = useTranslation();
  useEffect(() => setDirection(i18n.dir(i18n.language)), [i18n, i18n.language, setDirection]);
  return null;
}

export function App() {
  return (
    <DirectionProvider detectDirection>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <DirectionSync />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <AuthProvider>
            <Gate />
          </AuthProvider>
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
    </DirectionProvider>
  );
}
