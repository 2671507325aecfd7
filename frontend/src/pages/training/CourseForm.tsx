// Writing a course: its first version (with who may see it), or a new version from the one
// shown. Objectives are one per line; modules are ordered titles with Markdown content.
import { ActionIcon, Button, Card, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Schemas } from '../../api/client';
import { useZodForm } from '../../forms/useZodForm';
import { FormActions } from '../../components/FormActions';
import { useEnumLabel } from '../../components/EnumLabel';
import { AUDIENCES, enumOptions } from '../../vocab';

export const courseSchema = z.object({
  visibility: z.enum(['private', 'shared']),
  title: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'),
  summary: z.string().trim().min(1, 'validation.required').max(2000, 'validation.too_long'),
  audiences: z.array(z.string()).min(1, 'validation.required'),
  languages: z.string().trim().regex(/^[a-zA-Z]{2}(\s*,\s*[a-zA-Z]{2})*$/, 'validation.languages'),
  duration_minutes: z.number({ message: 'validation.required' }).int().min(1, 'validation.positive').max(43200, 'validation.too_large'),
  objectives: z.string().refine((v) => lines(v).length >= 1 && lines(v).length <= 30, 'training_edit.objectives_count'),
  modules: z
    .array(z.object({ title: z.string().trim().min(1, 'validation.required').max(200, 'validation.too_long'), content_markdown: z.string().min(1, 'validation.required').max(50000, 'validation.too_long') }))
    .min(1, 'validation.required')
    .max(50, 'validation.too_large'),
});
export type CourseValues = z.output<typeof courseSchema>;

/** Non-empty trimmed lines of a text. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** The form's values of a version, to start a new one from. */
export function versionValues(v: Schemas['VersionOut'], visibility: Schemas['Visibility']): z.input<typeof courseSchema> {
  return {
    visibility,
    title: v.title,
    summary: v.summary,
    audiences: v.audiences,
    languages: v.languages.join(', '),
    duration_minutes: v.duration_minutes,
    objectives: v.objectives.join('\n'),
    modules: [...v.modules].sort((a, b) => a.position - b.position).map((m) => ({ title: m.title, content_markdown: m.content_markdown })),
  };
}

/** The API's course fields of the form's values. */
export function courseBody(d: CourseValues) {
  return {
    title: d.title.trim(),
    summary: d.summary.trim(),
    audiences: d.audiences as Schemas['Audience'][],
    languages: d.languages.split(',').map((l) => l.trim().toLowerCase()),
    duration_minutes: d.duration_minutes,
    objectives: lines(d.objectives),
    modules: d.modules.map((m) => ({ title: m.title.trim(), content_markdown: m.content_markdown })),
  };
}

export const EMPTY_COURSE: z.input<typeof courseSchema> = {
  visibility: 'private',
  title: '',
  summary: '',
  audiences: [],
  languages: '',
  duration_minutes: 60,
  objectives: '',
  modules: [{ title: '', content_markdown: '' }],
};

export function CourseForm({
  initial,
  withVisibility,
  onSave,
  close,
  label: formLabel,
}: {
  initial: z.input<typeof courseSchema>;
  withVisibility: boolean;
  onSave: (d: CourseValues) => Promise<void>;
  close: () => void;
  label: string;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  const form = useZodForm(courseSchema, initial);
  const modules = form.values.modules;
  const setModule = (i: number, patch: Partial<(typeof modules)[number]>) => form.set('modules', modules.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  return (
    <form noValidate aria-label={formLabel} onSubmit={form.onSubmit(onSave)}>
      <Stack mb="md">
        {withVisibility && (
          <Select
            label={t('training_edit.visibility')}
            data={[
              { value: 'private', label: t('training_edit.visibility_private') },
              { value: 'shared', label: t('training_edit.visibility_shared') },
            ]}
            value={form.values.visibility}
            onChange={(v) => v && form.set('visibility', v as 'private' | 'shared')}
            allowDeselect={false}
          />
        )}
        <TextInput label={t('training_edit.course_title')} required maxLength={200} value={form.values.title} onChange={(e) => form.set('title', e.currentTarget.value)} error={form.error('title')} />
        <Textarea label={t('training_edit.summary')} required autosize minRows={2} maxLength={2000} value={form.values.summary} onChange={(e) => form.set('summary', e.currentTarget.value)} error={form.error('summary')} />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <MultiSelect label={t('library.audience')} required data={enumOptions(AUDIENCES, 'Audience', label)} value={form.values.audiences} onChange={(v) => form.set('audiences', v)} error={form.error('audiences')} />
          <TextInput label={t('training_edit.languages')} description={t('training_edit.languages_hint')} required value={form.values.languages} onChange={(e) => form.set('languages', e.currentTarget.value)} error={form.error('languages')} />
          <NumberInput label={t('training_edit.duration')} required min={1} max={43200} value={form.values.duration_minutes} onChange={(v) => form.set('duration_minutes', typeof v === 'number' ? v : Number.NaN)} error={form.error('duration_minutes')} />
        </SimpleGrid>
        <Textarea label={t('library.objectives')} description={t('training_edit.objectives_hint')} required autosize minRows={2} value={form.values.objectives} onChange={(e) => form.set('objectives', e.currentTarget.value)} error={form.error('objectives')} />
        <Text fw={500} size="sm">
          {t('library.modules')}
        </Text>
        {form.error('modules') && (
          <Text c="red.8" size="sm" role="alert">
            {form.error('modules')}
          </Text>
        )}
        {modules.map((m, i) => (
          <Card withBorder key={i} padding="sm" component="fieldset" aria-label={t('training_edit.module_n', { n: i + 1 })}>
            <Group justify="space-between" mb="xs">
              <Text size="sm" fw={500}>
                {t('training_edit.module_n', { n: i + 1 })}
              </Text>
              {modules.length > 1 && (
                <ActionIcon variant="subtle" color="red" aria-label={t('training_edit.module_remove', { n: i + 1 })} onClick={() => form.set('modules', modules.filter((_, j) => j !== i))}>
                  ×
                </ActionIcon>
              )}
            </Group>
            <Stack gap="xs">
              <TextInput label={t('training_edit.module_title')} required maxLength={200} value={m.title} onChange={(e) => setModule(i, { title: e.currentTarget.value })} error={form.error(`modules.${i}.title`)} />
              <Textarea label={t('training_edit.module_content')} description={t('training_edit.module_content_hint')} required autosize minRows={3} value={m.content_markdown} onChange={(e) => setModule(i, { content_markdown: e.currentTarget.value })} error={form.error(`modules.${i}.content_markdown`)} />
            </Stack>
          </Card>
        ))}
        {modules.length < 50 && (
          <Group>
            <Button variant="light" size="xs" onClick={() => form.set('modules', [...modules, { title: '', content_markdown: '' }])}>
              {t('training_edit.module_add')}
            </Button>
          </Group>
        )}
        <FormActions error={form.formError} submitting={form.submitting} onCancel={close} />
      </Stack>
    </form>
  );
}
