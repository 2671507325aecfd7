import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from './locales/en.json';
import fr from './locales/fr.json';
import nl from './locales/nl.json';

function keys(tree: unknown, prefix = ''): string[] {
  if (typeof tree !== 'object' || tree === null) return [prefix];
  return Object.entries(tree).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.test.tsx') ? [path] : [];
  });
}

describe('message catalogues', () => {
  const english = new Set(keys(en));

  it('French and Dutch have exactly the English keys', () => {
    expect(keys(fr).sort()).toEqual([...english].sort());
    expect(keys(nl).sort()).toEqual([...english].sort());
  });

  it('no message is left empty or untranslated placeholders', () => {
    for (const [lang, tree] of Object.entries({ en, fr, nl })) {
      for (const key of keys(tree)) {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], tree);
        expect(typeof value === 'string' && value.trim().length > 0, `${lang}: ${key}`).toBe(true);
      }
    }
  });

  it('every key the code names exists', () => {
    const missing: string[] = [];
    for (const file of sources(join(__dirname, '..'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-z_]+\.[a-z_.]+)'/g)) {
        const key = m[1] as string;
        if (!english.has(key) && !english.has(`${key}_one`)) missing.push(`${file}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
