import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage, supported } from '../i18n';

export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      aria-label={t('common.language')}
      size="xs"
      value={supported(i18n.language) ?? 'en'}
      data={LANGUAGES.map((l) => ({ value: l.code, label: l.label }))}
      onChange={(e) => {
        const code = supported(e.currentTarget.value);
        if (code) void setLanguage(code);
      }}
    />
  );
}
