import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// System fonts only: nothing is fetched from outside the app.
export const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, sans-serif',
  headings: { fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Ubuntu, sans-serif' },
  defaultRadius: 'sm',
  // No animation for those who ask their system for reduced motion.
  respectReducedMotion: true,
  // Darker shades keep text on coloured backgrounds above the WCAG AA contrast ratio.
  primaryShade: { light: 8, dark: 6 },
});

const COLORS = ['indigo', 'blue', 'green', 'teal', 'yellow', 'orange', 'red', 'gray', 'dark'] as const;

/** Text colours darkened so every light badge, alert and nav item passes WCAG AA contrast. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    // Field errors (their message and the invalid input's text) in a red dark enough to read.
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-primary-color-light-color': 'var(--mantine-color-indigo-9)',
    ...Object.fromEntries(
      COLORS.flatMap((c) => [
        [`--mantine-color-${c}-light-color`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-filled`, `var(--mantine-color-${c}-9)`],
        [`--mantine-color-${c}-text`, `var(--mantine-color-${c}-9)`],
      ]),
    ),
  },
  dark: {},
});
