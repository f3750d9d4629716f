/** app.logger's lines: Python's %-placeholders filled from the arguments, and any message written, never a throw. */
import { describe, expect, it } from 'vitest';
import { Logger } from 'flagon/app';

/** A Logger whose lines are kept, without their time stamp. */
function recording(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = { write: (text: string) => lines.push(text.replace(/^\[[^\]]+\] /, '')), flush: () => undefined };
  return {
    logger: new Logger(
      'shop',
      () => true,
      () => stream,
    ),
    lines,
  };
}

describe('Logger', () => {
  it("fills %s, %d, %r, %x and %% as Python's logging, and writes what is left over after the line", () => {
    const { logger, lines } = recording();
    logger.info('order %s: %d items at %x, %r (100%%)', 'A-1', 3.7, 255, 'note', { kept: true });
    logger.info('literal 100%%r then %s', 'x');
    logger.info('no arguments: 100%% %s stays');
    logger.warn('%c is not ours', 'arg');
    expect(lines).toEqual([
      "INFO in shop: order A-1: 3 items at ff, 'note' (100%) { kept: true }\n",
      'INFO in shop: literal 100%r then x\n',
      'INFO in shop: no arguments: 100%% %s stays\n',
      'WARNING in shop: %c is not ours arg\n',
    ]);
  });

  it('writes a message that is not text (an Error from a catch, an object) instead of throwing', () => {
    const { logger, lines } = recording();
    const error = new Error('payment failed');
    expect(() => logger.error(error, 'while saving')).not.toThrow();
    expect(() => logger.debug({ a: 1 }, 'x')).not.toThrow();
    expect(lines[0]).toMatch(/^ERROR in shop: Error: payment failed\n {4}at .*\n.* while saving\n$/s);
    expect(lines[1]).toBe('DEBUG in shop: { a: 1 } x\n');
  });
});
