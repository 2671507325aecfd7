// The organisation's reports: exact counts for its own dashboard, drawn as bars beside the
// table, and the protected CSV export (small counts suppressed) that may leave the organisation.
import { useState, type ReactNode } from 'react';
import { Alert, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { download, exportFileName } from '../../api/download';
import { problemDetail } from '../../api/problem';
import { useShelters } from '../../api/queries';
import { Page, QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { enumOptions, REPORT_NAMES } from '../../vocab';
import { localDate } from '../../forms/instant';

type ReportName = Schemas['ReportName'];

/** The vocabulary a report's dimension takes its values from (for labels), if any. */
export function dimensionKind(report: ReportName, dimension: string): string | null {
  const kinds: Record<string, string> = {
    stage: 'Stage',
    exploitation_type: 'ExploitationType',
    gender: 'Gender',
    age_band: 'AgeBand',
    area: 'ServiceArea',
    service_type: report === 'referrals' ? 'DirectoryServiceType' : '',
    status: report === 'referrals' ? 'ReferralStatus' : 'DocumentStatus',
    audience: 'Audience',
  };
  if (dimension === 'kind') return report === 'documents' ? 'DocumentKind' : 'ReportKind';
  return kinds[dimension] || null;
}

/** Bar widths in percent of the largest count (at least a sliver for a non-zero count). */
export function barWidths(counts: number[]): number[] {
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max === 0 || c === 0 ? 0 : Math.max(2, Math.round((c / max) * 100))));
}

/** The file name of an export. */
export function exportName(report: ReportName, from: string, to: string): string {
  return `haven-${report}-${from}-${to}.csv`;
}

/** A report table's head: its dimensions, its measure and extras, and the bars' column. */
export function ReportHead({ dimensions, measure, extra }: { dimensions: string[]; measure: string; extra: string[] }) {
  const { t } = useTranslation();
  return (
    <Table.Thead>
      <Table.Tr>
        {dimensions.map((d) => (
          <Table.Th key={d}>{t(`reports.dimension.${d}`)}</Table.Th>
        ))}
        <Table.Th>{t(`reports.measure.${measure}`)}</Table.Th>
        {extra.map((e) => (
          <Table.Th key={e}>{t(`reports.measure.${e}`)}</Table.Th>
        ))}
        <Table.Th aria-hidden>{''}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}

function ReportTable({ report }: { report: Schemas['ReportOut'] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const shelters = useShelters();
  const name = (dimension: string, value: string) => {
    if (dimension === 'shelter_id') return shelters.data?.items.find((s) => s.id === value)?.name ?? value;
    if (dimension === 'period') return value;
    const kind = dimensionKind(report.report, dimension);
    return kind ? label(kind, value) : value;
  };
  const widths = barWidths(report.rows.map((r) => r.count));
  if (report.rows.length === 0) return <Text c="dimmed">{t('common.none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table striped>
        <ReportHead dimensions={report.dimensions} measure={report.measure} extra={report.extra} />
        <Table.Tbody>
          {report.rows.map((r, i) => (
            <Table.Tr key={r.keys.join('|')}>
              {r.keys.map((k, j) => (
                <Table.Td key={report.dimensions[j] ?? j}>{name(report.dimensions[j] ?? '', k)}</Table.Td>
              ))}
              <Table.Td>{fmt.number(r.count)}</Table.Td>
              {r.extra.map((x, j) => (
                <Table.Td key={report.extra[j] ?? j}>{fmt.number(x)}</Table.Td>
              ))}
              <Table.Td aria-hidden style={{ width: '30%' }}>
                <div className="report-bar" style={{ width: `${widths[i] ?? 0}%` }} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** A report's card: its name, the period it covers, and its table once it is read. */
export function ReportCard<T extends { from: string; to: string }>({
  name,
  query,
  children,
}: {
  name: ReportName;
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (report: T) => ReactNode;
}) {
  const label = useEnumLabel();
  return (
    <Card withBorder component="section" aria-labelledby="report-title">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4" id="report-title">
            {label('ReportName', name)}
          </Title>
          {query.data && (
            <Text size="sm" c="dimmed">
              {query.data.from} – {query.data.to}
            </Text>
          )}
        </Group>
        <QueryState query={query}>{children}</QueryState>
      </Stack>
    </Card>
  );
}

export default function Reports() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const shelters = useShelters();
  const [name, setName] = useState<ReportName>('cases_by_stage');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [shelter, setShelter] = useState<string | null>(null);
  const [granularity, setGranularity] = useState<Schemas['Granularity']>('month');
  const [exportError, setExportError] = useState<string | null>(null);
  const query = {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(shelter ? { shelter_id: shelter } : {}),
    granularity,
  };
  const report = useQuery({
    queryKey: ['report', name, query],
    queryFn: () => unwrap(api.GET('/api/v1/reports/{name}', { params: { path: { name }, query } })),
  });
  const exportAs = async (call: Parameters<typeof download>[0], fileName: string) => {
    setExportError(null);
    try {
      await download(call, fileName);
    } catch (err) {
      setExportError(problemDetail(err, t('errors.generic')));
    }
  };
  const exportReport = () =>
    exportAs(
      api.GET('/api/v1/reports/{name}/export', { params: { path: { name }, query: { ...query, format: 'csv' } }, parseAs: 'blob' }),
      exportName(name, report.data?.from ?? from, report.data?.to ?? to),
    );
  const exportAnonymised = () =>
    exportAs(api.GET('/api/v1/exports/anonymised-cases', { parseAs: 'blob' }), exportFileName(['anonymised-cases', localDate()], 'csv'));
  return (
    <Page
      title={t('nav.reports')}
      actions={
        <Group>
          <Button variant="light" onClick={() => void exportReport()}>
            {t('reports.export')}
          </Button>
          <Button variant="default" onClick={() => void exportAnonymised()}>
            {t('reports.export_anonymised')}
          </Button>
        </Group>
      }
    >
      <Text size="sm">{t('reports.export_hint')}</Text>
      <Text size="sm">{t('reports.export_anonymised_hint')}</Text>
      {exportError && (
        <Alert color="red" role="alert">
          {exportError}
        </Alert>
      )}
      <section aria-label={t('reports.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 2, md: 5 }}>
          <Select label={t('reports.report')} data={enumOptions(REPORT_NAMES, 'ReportName', label)} value={name} onChange={(v) => v && setName(v as ReportName)} allowDeselect={false} />
          <TextInput type="date" label={t('reports.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t('reports.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          <Select label={t('reports.shelter')} placeholder={t('common.all')} clearable data={(shelters.data?.items ?? []).map((s) => ({ value: s.id, label: s.name }))} value={shelter} onChange={setShelter} />
          <Select
            label={t('reports.granularity')}
            data={[
              { value: 'month', label: label('Granularity', 'month') },
              { value: 'day', label: label('Granularity', 'day') },
            ]}
            value={granularity}
            onChange={(v) => v && setGranularity(v as Schemas['Granularity'])}
            allowDeselect={false}
          />
        </SimpleGrid>
      </section>
      <ReportCard name={name} query={report}>
        {(r) => <ReportTable report={r} />}
      </ReportCard>
    </Page>
  );
}
