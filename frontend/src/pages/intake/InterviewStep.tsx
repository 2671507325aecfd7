import { useState, type ReactNode } from 'react';
import { Button, Checkbox, Fieldset, Group, Radio, Select, SimpleGrid, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api, unwrap, type Schemas } from '../../api/client';
import { idempotencyKey, useWrite } from '../../api/mutate';
import { useMe } from '../../auth/AuthContext';
import { useChecklist } from '../../api/queries';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { QueryState } from '../../components/Page';
import { useEnumLabel } from '../../components/EnumLabel';
import { enumOptions, INDICATOR_ANSWERS, INTERVIEW_LOCATIONS, PRESUMED_VICTIMS } from '../../vocab';
import { ConsentFields, consentChanger, consentFields, consentsIn, noConsents, refineConsents } from './ConsentFields';
import { localDate } from '../../forms/instant';

const language = z.string().trim().regex(/^[a-z]{2,3}$/, 'validation.language');

/** An interview's own fields, as the intake, a further interview and a change of one ask them. */
export const interviewSchema = z
  .object({
    held_on: z.string().min(1, 'validation.required'),
    language,
    location_type: z.enum(INTERVIEW_LOCATIONS as [Schemas['InterviewLocation'], ...Schemas['InterviewLocation'][]], { message: 'validation.required' }),
    interpreter_used: z.boolean(),
    interpreter_language: z.string().trim(),
    presumed_victim: z.enum(PRESUMED_VICTIMS as [Schemas['PresumedVictim'], ...Schemas['PresumedVictim'][]], { message: 'validation.required' }),
    narrative: z.string().max(50000, 'validation.too_long'),
    ...consentFields,
  })
  .superRefine((v, ctx) => {
    if (v.interpreter_used && !language.safeParse(v.interpreter_language).success) {
      ctx.addIssue({ code: 'custom', path: ['interpreter_language'], message: 'validation.language' });
    }
    refineConsents(v, ctx);
  });

type InterviewValues = z.input<typeof interviewSchema>;

/** The part of a form over [`interviewSchema`] that these fields need. */
export interface InterviewFormState {
  values: InterviewValues;
  set: <K extends keyof InterviewValues>(name: K, value: InterviewValues[K]) => void;
  error: (name: string) => string | undefined;
}

/** When, where and in which language an interview was held, with its outcome and whether an
 * interpreter was present (and then in which language). */
export function InterviewBasics({ form }: { form: InterviewFormState }) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput type="date" label={t('interview.held_on')} required value={form.values.held_on} onChange={(e) => form.set('held_on', e.currentTarget.value)} error={form.error('held_on')} />
        <TextInput label={t('interview.language')} description={t('client.languages_hint')} required maxLength={3} value={form.values.language} onChange={(e) => form.set('language', e.currentTarget.value)} error={form.error('language')} />
        <Select label={t('interview.location')} required allowDeselect={false} data={enumOptions(INTERVIEW_LOCATIONS, 'InterviewLocation', label)} value={form.values.location_type ?? null} onChange={(v) => v && form.set('location_type', v as Schemas['InterviewLocation'])} error={form.error('location_type')} />
        <Select label={t('interview.presumed_victim')} required allowDeselect={false} data={enumOptions(PRESUMED_VICTIMS, 'PresumedVictim', label)} value={form.values.presumed_victim ?? null} onChange={(v) => v && form.set('presumed_victim', v as Schemas['PresumedVictim'])} error={form.error('presumed_victim')} />
      </SimpleGrid>
      <Checkbox label={t('interview.interpreter_used')} checked={form.values.interpreter_used} onChange={(e) => form.set('interpreter_used', e.currentTarget.checked)} />
      {form.values.interpreter_used && (
        <TextInput label={t('case_records.interpreter_language')} description={t('client.languages_hint')} required maxLength={3} value={form.values.interpreter_language} onChange={(e) => form.set('interpreter_language', e.currentTarget.value)} error={form.error('interpreter_language')} />
      )}
    </>
  );
}

/** The indicator checklist as radio groups, one per indicator, grouped as the checklist groups them. */
export function Checklist({
  checklist,
  answers,
  onAnswer,
}: {
  checklist: Schemas['Checklist'];
  answers: Record<string, Schemas['IndicatorAnswer']>;
  onAnswer: (code: string, a: Schemas['IndicatorAnswer']) => void;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('interview.checklist_hint')}
      </Text>
      {checklist.groups.map((g) => (
        <Fieldset key={g.code} legend={g.label}>
          <Table>
            <Table.Tbody>
              {g.indicators.map((i) => (
                <Table.Tr key={i.code}>
                  <Table.Td>
                    <Radio.Group
                      label={i.label}
                      value={answers[i.code] ?? ''}
                      onChange={(v) => onAnswer(i.code, v as Schemas['IndicatorAnswer'])}
                      name={`indicator-${i.code}`}
                    >
                      <Group mt={4} gap="md">
                        {INDICATOR_ANSWERS.map((a) => (
                          <Radio key={a} value={a} label={label('IndicatorAnswer', a)} />
                        ))}
                      </Group>
                    </Radio.Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Fieldset>
      ))}
    </Stack>
  );
}

/** A new identification interview of a case, held by the signed-in user: at the intake, or a
 * further interview later. Saving refreshes the case's interviews, timeline and consents. */
export function InterviewForm({
  caseId,
  clientId,
  onDone,
  onCancel,
  children,
}: {
  caseId: string;
  /** The client's consents are refetched when it is known. */
  clientId?: string;
  onDone: () => void;
  onCancel?: () => void;
  /** Shown under the form's buttons (the intake's "skip"). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const [answers, setAnswers] = useState<Record<string, Schemas['IndicatorAnswer']>>({});
  const checklist = useChecklist();
  const form = useZodForm(interviewSchema, {
    held_on: localDate(),
    language: '',
    location_type: undefined as unknown as Schemas['InterviewLocation'],
    interpreter_used: false,
    interpreter_language: '',
    presumed_victim: undefined as unknown as Schemas['PresumedVictim'],
    narrative: '',
    ...noConsents,
  });
  const create = useWrite(
    (body: Schemas['InterviewIn']) =>
      unwrap(api.POST('/api/v1/cases/{id}/interviews', { params: { path: { id: caseId } }, headers: { 'Idempotency-Key': idempotencyKey() }, body })),
    [['interviews', caseId], ['timeline', caseId], ...(clientId ? [['consents', clientId]] : [])],
  );
  const submit = form.onSubmit(async (d) => {
    await create.mutateAsync({
      held_on: d.held_on,
      language: d.language,
      location_type: d.location_type,
      interpreter_used: d.interpreter_used,
      ...(d.interpreter_used ? { interpreter_language: d.interpreter_language } : {}),
      presumed_victim: d.presumed_victim,
      interviewer_ids: [me.id],
      indicators: answers,
      consents: consentsIn(d),
      ...(checklist.data ? { checklist_version: checklist.data.version } : {}),
      ...(d.narrative.trim() ? { narrative: d.narrative.trim() } : {}),
    });
    onDone();
  });
  return (
    <form noValidate aria-label={t('case_records.interview_add')} onSubmit={submit}>
      <Stack maw={860}>
        <InterviewBasics form={form} />
        <Fieldset legend={t('interview.indicators')}>
          <QueryState query={checklist}>
            {(c) => <Checklist checklist={c} answers={answers} onAnswer={(code, a) => setAnswers((s) => ({ ...s, [code]: a }))} />}
          </QueryState>
        </Fieldset>
        <ConsentFields legend={t('interview.consent')} values={form.values} onChange={consentChanger(form)} error={form.error('partner_types')} />
        <Textarea label={t('interview.narrative')} autosize minRows={3} value={form.values.narrative} onChange={(e) => form.set('narrative', e.currentTarget.value)} error={form.error('narrative')} />
        <FormActions error={form.formError} submitting={form.submitting} onCancel={onCancel} />
        {children}
      </Stack>
    </form>
  );
}

/** The intake's interview step, which may be skipped. */
export function InterviewStep({ caseId, onDone, onSkip }: { caseId: string; onDone: () => void; onSkip: () => void }) {
  const { t } = useTranslation();
  return (
    <InterviewForm caseId={caseId} onDone={onDone}>
      <Group>
        <Button variant="subtle" onClick={onSkip}>
          {t('intake.skip_interview')}
        </Button>
      </Group>
    </InterviewForm>
  );
}
