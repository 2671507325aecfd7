// Intake of a newly signalled person: signal → client → interview (indicator checklist and
// consent) → placement. The client and case exist from the second step on; the later steps
// add to that case, so an interrupted intake is never lost.
import { useState } from 'react';
import { Alert, Button, Group, Stepper, Text } from '@mantine/core';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Page } from '../../components/Page';
import { PlacementPicker } from '../../components/PlacementPicker';
import { SignalStep, type Signal } from './SignalStep';
import { ClientStep } from './ClientStep';
import { InterviewStep } from './InterviewStep';

export default function IntakeWizard() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [step, setStep] = useState(0);
  const [signal, setSignal] = useState<Signal | null>(null);
  const [created, setCreated] = useState<{ caseId: string; duplicates: number } | null>(null);

  return (
    <Page title={t('intake.title')}>
      <Stepper active={step} allowNextStepsSelect={false} aria-label={t('intake.steps')}>
        <Stepper.Step label={t('intake.signal')}>
          <SignalStep
            initial={signal}
            onDone={(s) => {
              setSignal(s);
              setStep(1);
            }}
          />
        </Stepper.Step>
        <Stepper.Step label={t('intake.client')}>
          {signal && (
            <ClientStep
              signal={signal}
              onBack={() => setStep(0)}
              onCreated={(caseId, duplicates) => {
                setCreated({ caseId, duplicates });
                setStep(2);
              }}
            />
          )}
        </Stepper.Step>
        <Stepper.Step label={t('intake.interview')}>
          {created && (
            <>
              {created.duplicates > 0 && (
                <Alert color="yellow" mb="md" role="status">
                  {t('intake.possible_duplicates', { count: created.duplicates })}
                </Alert>
              )}
              <InterviewStep caseId={created.caseId} onDone={() => setStep(3)} onSkip={() => setStep(3)} />
            </>
          )}
        </Stepper.Step>
        <Stepper.Step label={t('intake.placement')}>
          {created && (
            <>
              <Text mb="md">{t('intake.placement_hint')}</Text>
              <PlacementPicker caseId={created.caseId} onPlaced={() => void navigate(`/cases/${created.caseId}`)} />
              <Group mt="md">
                <Button variant="default" onClick={() => void navigate(`/cases/${created.caseId}`)}>
                  {t('intake.skip_placement')}
                </Button>
              </Group>
            </>
          )}
        </Stepper.Step>
      </Stepper>
    </Page>
  );
}
