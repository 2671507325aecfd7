// Message catalogues and the user's language. Every text the app shows comes from
// locales/<lang>.json; a new language is a new catalogue plus a line in LANGUAGES.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import fr from './locales/fr.json';
import nl from './locales/nl.json';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'fr', label: 'Français' },
  { code: 'nl', label: 'Nederlands' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

/** The only thing the app keeps in browser storage: the chosen language (never personal data). */
const STORAGE_KEY = 'haven.language';

export function supported(tag: string | null | undefined): LanguageCode | null {
  const base = (tag ?? '').toLowerCase().split('-')[0];
  return LANGUAGES.find((l) => l.code === base)?.code ?? null;
}

function stored(): LanguageCode | null {
  try {
    return supported(globalThis.localStorage?.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

export function chosenLanguage(): LanguageCode | null {
  return stored();
}

/** Sets the language and the document's `lang` and `dir` (right-to-left ready). */
export async function setLanguage(code: LanguageCode, remember = true) {
  await i18n.changeLanguage(code);
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, code);
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this page only.
    }
  }
}

function applyDocument(lng: string) {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lng;
  document.documentElement.dir = i18n.dir(lng);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, fr: { translation: fr }, nl: { translation: nl } },
  lng: stored() ?? supported(globalThis.navigator?.language) ?? 'en',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocument(i18n.language);
i18n.on('languageChanged', applyDocument);

export default i18n;
