// What a change of an organisation sends.
import type { Schemas } from '../../api/client';

export interface TenantEdit {
  name: string;
  default_locale: string;
  time_zone: string;
  status: string;
}

/** Only the fields that changed (trimmed); `null` when nothing did. */
export function tenantPatch(tenant: Pick<Schemas['TenantOut'], 'name' | 'default_locale' | 'time_zone' | 'status'>, edit: TenantEdit): Schemas['TenantPatchIn'] | null {
  const out: Schemas['TenantPatchIn'] = {};
  for (const key of ['name', 'default_locale', 'time_zone', 'status'] as const) {
    const value = edit[key].trim();
    if (value !== tenant[key]) out[key] = value;
  }
  return Object.keys(out).length ? out : null;
}

/** Whether the change suspends the organisation (which locks its users out at once). */
export function suspends(tenant: Pick<Schemas['TenantOut'], 'status'>, edit: Pick<TenantEdit, 'status'>): boolean {
  return tenant.status !== 'suspended' && edit.status === 'suspended';
}
