// A record read with its ETag for a form that changes it: read afresh each time the form opens
// and never served from the cache, so the If-Match sent with the change is the version the
// person saw (412 if a colleague changed it in between).
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { unwrapVersioned } from './client';

type Result<T> = { data?: T; error?: unknown; response: Response };

export function useVersioned<T>(key: QueryKey, read: () => Promise<Result<T>>) {
  return useQuery({
    // Its own key beside the record's cached read, yet refetched with it: invalidating `key`
    // reaches this one too.
    queryKey: [...key, 'versioned'],
    queryFn: () => unwrapVersioned(read()),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}
