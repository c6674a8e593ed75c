/** Bad input from the user (a spec, an argument, a run reference): shown without a stack, exit code 2. */
export class InputError extends Error {
  override name = 'InputError';
}
