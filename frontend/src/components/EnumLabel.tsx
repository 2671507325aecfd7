// The translated label of an API enum value (`enum.Stage.Intake`), falling back to the value.
import { useTranslation } from 'react-i18next';

export function useEnumLabel() {
  const { t, i18n } = useTranslation();
  return (kind: string, value: string | null | undefined) => {
    if (!value) return '—';
    const key = `enum.${kind}.${value}`;
    return i18n.exists(key) ? t(key) : value;
  };
}

export function EnumLabel({ kind, value }: { kind: string; value: string | null | undefined }) {
  return <>{useEnumLabel()(kind, value)}</>;
}
