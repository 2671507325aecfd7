// Reads several screens share, under one cache key each.
import { useQueries, useQuery } from '@tanstack/react-query';
import { api, unwrap } from './client';

export function useShelters() {
  return useQuery({
    queryKey: ['shelters'],
    queryFn: () => unwrap(api.GET('/api/v1/shelters', { params: { query: { limit: 200 } } })),
  });
}

/** The shelters and, once they are known, each one's occupancy (in the same order). */
export function useSheltersWithOccupancy() {
  const shelters = useShelters();
  const occupancy = useQueries({
    queries: (shelters.data?.items ?? []).map((s) => ({
      queryKey: ['occupancy', s.id],
      queryFn: () => unwrap(api.GET('/api/v1/shelters/{id}/occupancy', { params: { path: { id: s.id } } })),
    })),
  });
  return { shelters, occupancy };
}

/** The organisation's active colleagues by id and name (for `cases.work`), for pickers. */
export function useColleagues(enabled = true) {
  return useQuery({
    queryKey: ['colleagues'],
    queryFn: () => unwrap(api.GET('/api/v1/colleagues', { params: { query: { limit: 200 } } })),
    enabled,
  });
}

/** The current indicator checklist of identification interviews (it changes only with a new
 * published version, so it is read once). */
export function useChecklist() {
  return useQuery({ queryKey: ['interview-indicators'], staleTime: Infinity, queryFn: () => unwrap(api.GET('/api/v1/interview-indicators')) });
}
