// Statistics over every organisation of the platform, in protected form only: counts below the
// threshold and those that would reveal them are suppressed by the API, never computed here.
import { useState } from 'react';
import { Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../api/client';
import { Page } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { useFormat } from '../../i18n/format';
import { enumOptions, REPORT_NAMES } from '../../vocab';
import { barWidths, dimensionKind, ReportCard, ReportHead } from '../reports/Reports';
import { grandTotal, shownCounts } from './statistics';

type ReportName = Schemas['ReportName'];

function StatisticsTable({ report }: { report: Schemas['ProtectedReportOut'] }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const name = (dimension: string, value: string) => {
    const kind = dimension === 'period' ? null : dimensionKind(report.report, dimension);
    return kind ? label(kind, value) : value;
  };
  const widths = barWidths(shownCounts(report.rows));
  const total = grandTotal(report.totals);
  return (
    <Stack>
      <Text size="sm">{t('account.statistics_threshold', { k: report.k })}</Text>
      {report.rows.length === 0 ? (
        <Text c="dimmed">{t('common.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table striped>
            <ReportHead dimensions={report.dimensions} measure={report.measure} extra={[]} />
            <Table.Tbody>
              {report.rows.map((r, i) => (
                <Table.Tr key={r.keys.join('|')}>
                  {r.keys.map((k, j) => (
                    <Table.Td key={report.dimensions[j] ?? j}>{name(report.dimensions[j] ?? '', k)}</Table.Td>
                  ))}
                  <Table.Td>{r.suppressed || r.count == null ? <Text span c="dimmed" size="sm">{t('account.suppressed')}</Text> : fmt.number(r.count)}</Table.Td>
                  <Table.Td aria-hidden style={{ width: '30%' }}>
                    <div className="report-bar" style={{ width: `${widths[i] ?? 0}%` }} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {total !== null && <Text size="sm">{t('account.statistics_total', { total: fmt.number(total) })}</Text>}
    </Stack>
  );
}

export default function Statistics() {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const [name, setName] = useState<ReportName>('cases_by_stage');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const query = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const report = useQuery({
    queryKey: ['platform-statistics', name, query],
    queryFn: () => unwrap(api.GET('/api/v1/platform/statistics/{name}', { params: { path: { name }, query } })),
  });
  return (
    <Page title={t('account.statistics')}>
      <Text size="sm">{t('account.statistics_hint')}</Text>
      <section aria-label={t('reports.filters')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select label={t('reports.report')} data={enumOptions(REPORT_NAMES, 'ReportName', label)} value={name} onChange={(v) => v && setName(v as ReportName)} allowDeselect={false} />
          <TextInput type="date" label={t('reports.from')} value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
          <TextInput type="date" label={t('reports.to')} value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </SimpleGrid>
      </section>
      <ReportCard name={name} query={report}>
        {(r) => <StatisticsTable report={r} />}
      </ReportCard>
    </Page>
  );
}
