// observ-ing/core PR #187 "prevent double-submit causing duplicate identifications" (reduction,
// fixed): useFormSubmit checks and sets a ref synchronously at the top of handleSubmit, so a
// second tap before React re-renders returns at once; the ref is cleared in `finally` with the state.
import { useCallback, useRef, useState } from 'react';

export function useFormSubmit<T>(submitFn: (values: T) => Promise<void>) {
  const [isSubmitting, setIsSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submittingRef = useRef(false);

  const handleSubmit = useCallback(
    async (values: T) => {
      if (submittingRef.current) return;
      submittingRef.current = true;
      setIsSubmitting(true);
      setError(null);
      try {
        await submitFn(values);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        submittingRef.current = false;
        setIsSubmitting(false);
      }
    },
    [submitFn],
  );

  return { handleSubmit, isSubmitting, error };
}
