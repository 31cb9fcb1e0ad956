import { ref } from 'vue';
import { ApiError, describeError } from '../logic/api-error.ts';
import { errorsByField, type ValidationDetail } from '../logic/admin/validation-words.ts';

type FieldErrors<F extends string> = Partial<Record<F | '', string>>;

/** The errors of a form whose 400 details map to fields by their path (body.smtp.host -> host). */
export const byPath =
  <F extends string>(fieldOf: (path: string) => F | '') =>
  (details: readonly ValidationDetail[]): FieldErrors<F> =>
    errorsByField(details, fieldOf);

/**
 * A form's errors from the API: a 400's details in words beside the fields they belong to
 * (`toErrors`, e.g. byPath), anything else in one line.
 */
export function useFormErrors<F extends string>(toErrors: (details: readonly ValidationDetail[]) => FieldErrors<F>) {
  const fieldErrors = ref<FieldErrors<F>>({});
  const problem = ref('');

  function clear(): void {
    fieldErrors.value = {};
    problem.value = '';
  }

  /** Shows an error; `conflict` is what a 409 means on this form. */
  function show(error: unknown, conflict?: string): void {
    clear();
    if (error instanceof ApiError && error.status === 400 && error.details.length) {
      fieldErrors.value = toErrors(error.details) as FieldErrors<F>;
      problem.value = fieldErrors.value[''] ?? '请按各栏下方的提示修改后再保存。';
    } else if (error instanceof ApiError && error.status === 409 && conflict) {
      problem.value = conflict;
    } else {
      problem.value = describeError(error);
    }
  }

  const busy = ref(false);

  /** Runs the form's request with `busy` set, its errors cleared first and shown if it fails. */
  async function submit(request: () => Promise<void>, conflict?: string): Promise<void> {
    busy.value = true;
    clear();
    try {
      await request();
    } catch (e) {
      show(e, conflict);
    } finally {
      busy.value = false;
    }
  }

  return { fieldErrors, problem, busy, clear, show, submit };
}
