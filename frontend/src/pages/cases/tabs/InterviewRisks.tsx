// An interview's risk assessment edited as a list: each kind of risk once, its level and a note.
// Notes are sealed and shown only to those who may read identities; the API replaces the whole
// assessment, so only they are offered the editor.
import { Select, Textarea } from '@mantine/core';
import { ListEditor } from '../../../components/ListEditor';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../../api/client';
import { RISK_KINDS, RISK_LEVELS } from '../../../vocab';

export type RiskDraft = { kind: Schemas['RiskKind']; level: Schemas['RiskLevel']; note: string };

export function riskDrafts(risks: Schemas['RiskOut'][]): RiskDraft[] {
  return risks.map((r) => ({ kind: r.kind, level: r.level, note: r.note ?? '' }));
}

/** The assessment as the API takes it: notes trimmed, a blank note as `null`. */
export function risksIn(drafts: RiskDraft[]): Schemas['RiskIn'][] {
  return drafts.map((d) => ({ kind: d.kind, level: d.level, note: d.note.trim() ? d.note.trim() : null }));
}

export function RisksEditor({ value, onChange }: { value: RiskDraft[]; onChange: (next: RiskDraft[]) => void }) {
  const { t } = useTranslation();
  // Each kind of risk is assessed once.
  const unassessed = RISK_KINDS.find((k) => !value.some((r) => r.kind === k));
  return (
    <ListEditor
      legend={t('case_records.risks')}
      none={t('case_records.risks_none')}
      items={value}
      onChange={onChange}
      itemLabel={(n) => t('case_records.risk_n', { n })}
      removeLabel={(n) => t('case_records.risk_remove', { n })}
      addLabel={t('case_records.risk_add')}
      newItem={(): RiskDraft | null => (unassessed ? { kind: unassessed, level: 'medium', note: '' } : null)}
    >
      {(r, change) => (
        <>
          <Select
            label={t('case_records.risk_kind_label')}
            data={RISK_KINDS.filter((k) => k === r.kind || !value.some((o) => o.kind === k)).map((k) => ({ value: k, label: t(`case_records.risk_kind.${k}`) }))}
            value={r.kind}
            onChange={(v) => v && change({ kind: v as Schemas['RiskKind'] })}
            allowDeselect={false}
            w={150}
          />
          <Select
            label={t('case_records.risk_level_label')}
            data={RISK_LEVELS.map((l) => ({ value: l, label: t(`case_records.risk_level.${l}`) }))}
            value={r.level}
            onChange={(v) => v && change({ level: v as Schemas['RiskLevel'] })}
            allowDeselect={false}
            w={120}
          />
          <Textarea label={t('case_records.risk_note')} autosize minRows={1} maxLength={2000} value={r.note} onChange={(e) => change({ note: e.currentTarget.value })} style={{ flex: 1, minWidth: 200 }} />
        </>
      )}
    </ListEditor>
  );
}
