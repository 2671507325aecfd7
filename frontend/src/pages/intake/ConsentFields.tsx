// The consents a client gives in an interview: to the processing of their data, to sharing with
// chosen types of partner organisation (what a referral's consent gate asks for), to research.
// Used when an interview is recorded and when further consents are given in it later.
import { Checkbox, Fieldset, MultiSelect, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Schemas } from '../../api/client';
import { useEnumLabel } from '../../components/EnumLabel';
import type { FieldErrors } from '../../forms/useZodForm';
import { enumOptions, PARTNER_ORGANISATION_TYPES } from '../../vocab';

export const consentFields = {
  consent_data: z.boolean(),
  consent_sharing: z.boolean(),
  consent_research: z.boolean(),
  partner_types: z.array(z.string()),
};

export type ConsentValues = { consent_data: boolean; consent_sharing: boolean; consent_research: boolean; partner_types: string[] };

export const noConsents: ConsentValues = { consent_data: false, consent_sharing: false, consent_research: false, partner_types: [] };

/** A consent to share names the types of partner it covers. */
export function refineConsents(v: ConsentValues, ctx: z.RefinementCtx) {
  if (v.consent_sharing && v.partner_types.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['partner_types'], message: 'validation.required' });
  }
}

/** The consents ticked, as the API records them. */
export function consentsIn(v: ConsentValues): Schemas['ConsentIn'][] {
  const consents: Schemas['ConsentIn'][] = [];
  if (v.consent_data) consents.push({ purpose: 'data_processing' });
  if (v.consent_sharing) consents.push({ purpose: 'sharing_with_partners', partner_types: v.partner_types as Schemas['PartnerOrganisationType'][] });
  if (v.consent_research) consents.push({ purpose: 'research' });
  return consents;
}

/** The change handler for a form holding consent values: merges the change and clears the
 * partner kinds' error once they are touched. */
export function consentChanger<V extends ConsentValues>(form: {
  setValues: (update: (v: V) => V) => void;
  setErrors: (update: (e: FieldErrors) => FieldErrors) => void;
}) {
  return (change: Partial<ConsentValues>) => {
    form.setValues((v) => ({ ...v, ...change }));
    form.setErrors(({ partner_types: _, ...rest }) => rest);
  };
}

export function ConsentFields({
  legend,
  hint,
  values,
  onChange,
  error,
}: {
  legend: string;
  hint?: string;
  values: ConsentValues;
  onChange: (change: Partial<ConsentValues>) => void;
  error: string | undefined;
}) {
  const { t } = useTranslation();
  const label = useEnumLabel();
  return (
    <Fieldset legend={legend}>
      <Stack>
        {hint && (
          <Text size="sm" c="dimmed">
            {hint}
          </Text>
        )}
        <Checkbox label={t('interview.consent_data')} checked={values.consent_data} onChange={(e) => onChange({ consent_data: e.currentTarget.checked })} />
        <Checkbox label={t('interview.consent_sharing')} checked={values.consent_sharing} onChange={(e) => onChange({ consent_sharing: e.currentTarget.checked })} />
        {values.consent_sharing && (
          <MultiSelect
            label={t('interview.partner_types')}
            required
            data={enumOptions(PARTNER_ORGANISATION_TYPES, 'PartnerOrganisationType', label)}
            value={values.partner_types}
            onChange={(v) => onChange({ partner_types: v })}
            error={error}
          />
        )}
        <Checkbox label={t('interview.consent_research')} checked={values.consent_research} onChange={(e) => onChange({ consent_research: e.currentTarget.checked })} />
      </Stack>
    </Fieldset>
  );
}
