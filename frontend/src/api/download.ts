// Files the API hands out (CSV exports, a client's subject-access export): fetched with the
// in-memory token and saved through a short-lived object URL, so nothing of them passes
// through the address bar or browser storage.
import { ApiProblem, type ProblemBody } from './problem';

/** Saves `blob` as a download named `name`. */
function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

/** Saves what a `parseAs: 'blob'` call returns as a download named `name`, or throws the
 * API's problem. */
export async function download(call: Promise<{ data?: unknown; error?: unknown; response: Response }>, name: string): Promise<void> {
  const { data, error, response } = await call;
  if (!response.ok || !(data instanceof Blob)) {
    throw new ApiProblem(response.status, (error as ProblemBody | undefined) ?? null);
  }
  saveBlob(data, name);
}

/** A file name for an export: letters, digits and dashes only, never a person's name. */
export function exportFileName(parts: string[], extension: string): string {
  const safe = parts.map((p) => p.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-+|-+$/g, '')).filter(Boolean);
  return `${['haven', ...safe].join('-')}.${extension}`;
}
