// Writes: every create carries an Idempotency-Key (a retry after a lost answer creates nothing
// twice), and the lists it touches are refetched.
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

export function idempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export function useWrite<In, Out>(fn: (input: In) => Promise<Out>, invalidate: QueryKey[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all(invalidate.map((queryKey) => client.invalidateQueries({ queryKey })));
    },
  });
}
