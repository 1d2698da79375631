// What a check says of bad input: its error's message, or 'taken' when it took the input.
export function refusalOf(check: () => unknown): string {
  try {
    check();
  } catch (e) {
    return (e as Error).message;
  }
  return 'taken';
}
