// RFC 9457 problem documents from the API, as thrown errors the screens can show and map onto
// form fields.
import type { components } from './schema';

export type ProblemBody = components['schemas']['Problem'];

export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ProblemBody | null;

  constructor(status: number, body: ProblemBody | null) {
    super(body?.detail ?? `HTTP ${status}`);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = body?.code ?? 'http_error';
    this.body = body;
  }

  /** The API's `errors[]` as a field → message map (the first message per field). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.body?.errors ?? []) {
      if (!(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }
}

export function isProblem(err: unknown, code?: string): err is ApiProblem {
  return err instanceof ApiProblem && (code === undefined || err.code === code);
}

/** What to show of a failed call: the API's problem detail, else `fallback` (e.g. a network error). */
export function problemDetail(err: unknown, fallback: string): string {
  return isProblem(err) ? (err.body?.detail ?? err.message) : fallback;
}
