// The identification interviews of a case. The list carries no narrative or risk notes; one
// interview's read does (for roles that read identities, and audited). While the case is open a
// further interview can be added, and each can be changed: its details, the indicator checklist,
// further consents the client gives and, for those who read the notes, the risk assessment.
import { useState } from 'react';
import { Button, Fieldset, Group, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, unwrap, type Schemas } from '../../../api/client';
import { useWrite } from '../../../api/mutate';
import { useChecklist, useColleagues } from '../../../api/queries';
import { useVersioned } from '../../../api/versioned';
import { FormActions } from '../../../components/FormActions';
import { ListCard } from '../../../components/ListCard';
import { QueryState } from '../../../components/Page';
import { RecordDialog } from '../../../components/RecordDialog';
import { useEnumLabel } from '../../../components/EnumLabel';
import { useZodForm } from '../../../forms/useZodForm';
import { useFormat } from '../../../i18n/format';
import { useCaseWritable } from '../CaseView';
import { Field, type TabProps } from './Overview';
import { Checklist, InterviewBasics, InterviewForm, interviewSchema } from '../../intake/InterviewStep';
import { ConsentFields, consentChanger, consentsIn, noConsents } from '../../intake/ConsentFields';
import { type RiskDraft, RisksEditor, riskDrafts, risksIn } from './InterviewRisks';

type Answers = Record<string, Schemas['IndicatorAnswer']>;

const sameAnswers = (a: Answers, b: Answers) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([code, answer]) => b[code] === answer);

/** The checklist and risk parts of an interview's change: answers only when they changed, under
 * the current checklist (answers to indicators it no longer has are left out); risks only when
 * they changed, and only for someone who saw their notes (the API replaces them whole). */
export function checklistAndRisksPatch(
  interview: Schemas['InterviewOut'],
  answers: Answers,
  risks: RiskDraft[],
  current: Schemas['Checklist'] | undefined,
): Pick<Schemas['InterviewPatchIn'], 'indicators' | 'checklist_version' | 'risks'> {
  const patch: Pick<Schemas['InterviewPatchIn'], 'indicators' | 'checklist_version' | 'risks'> = {};
  if (current && !sameAnswers(answers, interview.indicators)) {
    const codes = new Set(current.groups.flatMap((g) => g.indicators.map((i) => i.code)));
    patch.indicators = Object.fromEntries(Object.entries(answers).filter(([code]) => codes.has(code)));
    patch.checklist_version = current.version;
  }
  const next = risksIn(risks);
  if (interview.sealed_shown && JSON.stringify(next) !== JSON.stringify(risksIn(riskDrafts(interview.risks)))) {
    patch.risks = next;
  }
  return patch;
}

function InterviewEditForm({ interview, etag, done }: { interview: Schemas['InterviewOut']; etag: string; done: () => void }) {
  const { t } = useTranslation();
  const checklist = useChecklist();
  const [answers, setAnswers] = useState<Answers>(() => ({ ...interview.indicators }));
  const [risks, setRisks] = useState<RiskDraft[]>(() => riskDrafts(interview.risks));
  const form = useZodForm(interviewSchema, {
    held_on: interview.held_on,
    language: interview.language,
    location_type: interview.location_type,
    presumed_victim: interview.presumed_victim,
    interpreter_used: interview.interpreter_used,
    interpreter_language: interview.interpreter_language ?? '',
    narrative: interview.narrative ?? '',
    ...noConsents,
  });
  const save = useWrite(
    (body: Schemas['InterviewPatchIn']) =>
      unwrap(api.PATCH('/api/v1/interviews/{id}', { params: { path: { id: interview.id }, header: { 'If-Match': etag } }, body })),
    [['interviews', interview.case_id], ['interview', interview.id], ['timeline', interview.case_id], ['consents', interview.client_id]],
  );
  return (
    <form
      noValidate
      aria-label={t('case_records.interview_edit')}
      onSubmit={form.onSubmit(async (d) => {
        await save.mutateAsync({
          held_on: d.held_on,
          language: d.language,
          location_type: d.location_type,
          presumed_victim: d.presumed_victim,
          interpreter_used: d.interpreter_used,
          interpreter_language: d.interpreter_used ? d.interpreter_language : null,
          ...(interview.sealed_shown ? { narrative: d.narrative.trim() ? d.narrative.trim() : null } : {}),
          ...checklistAndRisksPatch(interview, answers, risks, checklist.data),
          consents: consentsIn(d),
        });
        done();
      })}
    >
      <Stack>
        <InterviewBasics form={form} />
        {interview.sealed_shown && (
          <Textarea label={t('interview.narrative')} autosize minRows={3} value={form.values.narrative} onChange={(e) => form.set('narrative', e.currentTarget.value)} error={form.error('narrative')} />
        )}
        <Fieldset legend={t('interview.indicators')}>
          <QueryState query={checklist}>
            {(c) => (
              <Stack gap="xs">
                {c.version !== interview.checklist_version && (
                  <Text size="sm" c="dimmed">
                    {t('case_records.checklist_version_note', { was: interview.checklist_version, now: c.version })}
                  </Text>
                )}
                <Checklist checklist={c} answers={answers} onAnswer={(code, a) => setAnswers((s) => ({ ...s, [code]: a }))} />
              </Stack>
            )}
          </QueryState>
        </Fieldset>
        {interview.sealed_shown && <RisksEditor value={risks} onChange={setRisks} />}
        <ConsentFields legend={t('case_records.consents_further')} hint={t('case_records.consents_further_hint')} values={form.values} onChange={consentChanger(form)} error={form.error('partner_types')} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={done} />
      </Stack>
    </form>
  );
}

function InterviewDetail({ id, editable }: { id: string; editable: boolean }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const colleagues = useColleagues();
  const [editing, setEditing] = useState(false);
  const interview = useVersioned(['interview', id], () => api.GET('/api/v1/interviews/{id}', { params: { path: { id } } }));
  const names = (ids: string[]) => ids.map((u) => colleagues.data?.items.find((c) => c.id === u)?.name ?? '—').join(', ') || '—';
  return (
    <QueryState query={interview}>
      {({ data: i, etag }) =>
        editing ? (
          <InterviewEditForm key={etag} interview={i} etag={etag} done={() => setEditing(false)} />
        ) : (
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }} component="dl" m={0}>
              <Field label={t('interview.held_on')}>{fmt.date(i.held_on)}</Field>
              <Field label={t('interview.location')}>{label('InterviewLocation', i.location_type)}</Field>
              <Field label={t('interview.language')}>{i.language}</Field>
              <Field label={t('case_records.interpreter_language')}>{i.interpreter_used ? (i.interpreter_language ?? '—') : t('common.no')}</Field>
              <Field label={t('interview.presumed_victim')}>{label('PresumedVictim', i.presumed_victim)}</Field>
              <Field label={t('case_records.interviewers')}>{names(i.interviewer_ids)}</Field>
              <Field label={t('case_records.indicators_answered')}>{fmt.number(Object.keys(i.indicators).length)}</Field>
              <Field label={t('case_records.risks')}>
                {i.risks.map((r) => `${t(`case_records.risk_kind.${r.kind}`)}: ${t(`case_records.risk_level.${r.level}`)}${r.note ? ` — ${r.note}` : ''}`).join('\n') || '—'}
              </Field>
              <Field label={t('consents.title')}>{i.consents.map((c) => label('ConsentPurpose', c.purpose)).join(', ') || '—'}</Field>
            </SimpleGrid>
            {i.sealed_shown && (
              <dl style={{ margin: 0 }}>
                <Field label={t('interview.narrative')}>{i.narrative ?? '—'}</Field>
              </dl>
            )}
            {editable && (
              <Group>
                <Button variant="light" onClick={() => setEditing(true)}>
                  {t('case_records.interview_edit')}
                </Button>
              </Group>
            )}
          </Stack>
        )
      }
    </QueryState>
  );
}

export default function Interviews({ caseId, clientId }: TabProps) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const fmt = useFormat();
  const editable = useCaseWritable(caseId);
  const interviews = useQuery({
    queryKey: ['interviews', caseId],
    queryFn: () => unwrap(api.GET('/api/v1/cases/{id}/interviews', { params: { path: { id: caseId }, query: { limit: 200 } } })),
  });
  return (
    <ListCard
      id="interviews-title"
      title={t('case_records.interviews')}
      query={interviews}
      addLabel={t('case_records.interview_add')}
      renderForm={editable ? (close) => <InterviewForm caseId={caseId} clientId={clientId} onDone={close} onCancel={close} /> : undefined}
      columns={[
        { header: t('interview.held_on'), cell: (i) => fmt.date(i.held_on) },
        { header: t('interview.location'), cell: (i) => label('InterviewLocation', i.location_type) },
        { header: t('interview.language'), cell: (i) => i.language },
        { header: t('interview.presumed_victim'), cell: (i) => label('PresumedVictim', i.presumed_victim) },
        {
          header: t('casework.actions'),
          cell: (i) => (
            <RecordDialog label={t('case_records.open')} name={t('case_records.interview_open_named', { date: fmt.date(i.held_on) })} title={t('case_records.interview_title', { date: fmt.date(i.held_on) })}>
              {() => <InterviewDetail id={i.id} editable={editable} />}
            </RecordDialog>
          ),
        },
      ]}
    />
  );
}
