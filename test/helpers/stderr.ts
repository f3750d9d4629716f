/** What a test wrote to standard error, caught so it is checked instead of shown. */
import { vi } from 'vitest';

/**
 * What is written to standard error while `fn` runs (and is not shown).
 *
 * @example
 * expect(await stderrOf(() => app.logger.error('test'))).toMatch(/ERROR in app: test/);
 */
export async function stderrOf(fn: () => unknown): Promise<string> {
  let text = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk);
    return true;
  });
  try {
    await fn();
  } finally {
    spy.mockRestore();
  }
  return text;
}
