/** Template errors name the template, the 1-based line and the column, once, and put the template frames in the stack. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NunjucksRenderer, TemplateError, TemplateNotFound, TemplateSyntaxError } from '../../src/templating/index.js';

const TEMPLATES = fileURLToPath(new URL('./fixtures/templates/', import.meta.url));
const file = (name: string): string => `${TEMPLATES}errors/${name}`;

class ExplodeError extends Error {}

function renderer(): NunjucksRenderer {
  const engine = new NunjucksRenderer([TEMPLATES]);
  engine.addFilter('explode', (value: unknown) => {
    throw new ExplodeError(`cannot explode ${String(value)}`);
  });
  return engine;
}

function failure(render: () => unknown): Error {
  try {
    render();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the render to fail');
}

/** The `at …` lines of a stack that point into a template file, as `fn @ file:line:column`. */
function templateFrames(error: Error): string[] {
  return (error.stack ?? '')
    .split('\n')
    .map((line) => /^\s+at (.+) \((.+\.html):(\d+):(\d+)\)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => `${match![1]} @ ${match![2]!.slice(TEMPLATES.length)}:${match![3]}:${match![4]}`);
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1;

describe('template errors', () => {
  it('a syntax error is a TemplateSyntaxError at the 1-based line and column the parser names', () => {
    const error = failure(() => renderer().render('errors/broken.html', {}));
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.message).toBe('unexpected token: }} (errors/broken.html, line 3, column 15)');
    expect(error).toMatchObject({ template: 'errors/broken.html', file: file('broken.html'), line: 3, column: 15 });
    expect(templateFrames(error)[0]).toBe('template @ errors/broken.html:3:15');
  });

  it("`.name` after a filter's arguments is a syntax error that says to add parentheses, as Jinja's", () => {
    // Jinja: "expected token 'end of print statement', got '.'"; nunjucks crashed inside its parser, with no line.
    const error = failure(() => new NunjucksRenderer([]).renderString("{{ users|min(attribute='age').name }}", {}));
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error.message).toMatch(
      /^a filter's arguments cannot be followed by `\.name` or `\[…\]`: put the filter in parentheses/,
    );
    expect(error).toMatchObject({ line: 1 });
  });

  it('calling something undefined names it, says how to fix it, and points at the call (not one line above)', () => {
    const error = failure(() => renderer().render('errors/undefined-call.html', { user: 'ada' }));
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.message).toBe(
      "`greet` is undefined, so it cannot be called: pass it to renderTemplate() in the context, or register it with app.templateGlobal('greet', fn) (errors/undefined-call.html, line 3, column 6)",
    );
    expect(error).toMatchObject({ line: 3, column: 6 });
    expect(error.stack!.startsWith(`TemplateError: ${error.message}\n`)).toBe(true);
    expect(templateFrames(error)).toEqual(['top-level template code @ errors/undefined-call.html:3:6']);
  });

  it('an error on the first line keeps its line (nunjucks counts that line as 0, which it then ignores)', () => {
    const error = failure(() => renderer().render('errors/first-line.html', {}));
    expect(error).toMatchObject({ line: 1, column: 4 });
  });

  it("a filter's own error passes through as it is, with the template line as a frame under the filter", () => {
    const error = failure(() => renderer().render('errors/filter.html', { items: ['a'] }));
    expect(error).toBeInstanceOf(ExplodeError);
    expect(error.message).toBe('cannot explode a');
    const stack = error.stack!.split('\n');
    const filterFrame = stack.findIndex((line) => line.includes('errors.test.ts'));
    const templateFrame = stack.findIndex((line) => line.includes('filter.html:4:'));
    expect(filterFrame).toBeGreaterThan(0);
    expect(templateFrame).toBeGreaterThan(filterFrame);
    expect(templateFrames(error)).toEqual(['top-level template code @ errors/filter.html:4:17']);
  });

  it('an error in a child block names the child at its line, then the parent and the extends tag as frames', () => {
    const error = failure(() => renderer().render('errors/child-block.html', {}));
    expect(error.message).toMatch(/`missing` is undefined.* \(errors\/child-block\.html, line 5, column 9\)$/);
    expect(occurrences(error.message, 'child-block.html')).toBe(1);
    expect(error.message).not.toContain('Template render error');
    expect(templateFrames(error)).toEqual([
      "block 'body' @ errors/child-block.html:5:9",
      'top-level template code @ errors/layout.html:3:4',
      'top-level template code @ errors/child-block.html:1:4',
    ]);
  });

  it('an error in the parent names the parent, not the child that extends it', () => {
    const error = failure(() => renderer().render('errors/parent-error.html', {}));
    expect(error).toMatchObject({ template: 'errors/layout.html', line: 4, column: 12 });
    expect(templateFrames(error)).toEqual([
      'top-level template code @ errors/layout.html:4:12',
      'top-level template code @ errors/parent-error.html:1:4',
    ]);
  });

  it('an error in an included template names the included one, then the include tag', () => {
    const error = failure(() => renderer().render('errors/includes-filter.html', { items: ['b'] }));
    expect(error).toBeInstanceOf(ExplodeError);
    expect(templateFrames(error)).toEqual([
      'top-level template code @ errors/filter.html:4:17',
      'top-level template code @ errors/includes-filter.html:3:4',
    ]);
  });

  it('a syntax error in an included template names that template and line, then the include tag', () => {
    const error = failure(() => renderer().render('errors/includes-broken.html', {}));
    expect(error).toBeInstanceOf(TemplateSyntaxError);
    expect(error).toMatchObject({ template: 'errors/broken.html', line: 3, column: 15 });
    expect(templateFrames(error)).toEqual([
      'template @ errors/broken.html:3:15',
      'top-level template code @ errors/includes-broken.html:4:4',
    ]);
  });

  it('including a missing template is a TemplateNotFound at the include tag', () => {
    const error = failure(() => renderer().render('errors/includes-missing.html', {}));
    expect(error).toBeInstanceOf(TemplateNotFound);
    expect(error.message).toBe(
      // The folders looked in, below the working folder: a misplaced templates folder shows (it said "the app's
      // templates folder, then each blueprint's" before).
      'template not found: errors/nowhere.html; looked in test/templating/fixtures/templates (errors/includes-missing.html, line 2, column 4)',
    );
  });

  it('an error in a macro names the macro, then the line that called it', () => {
    const error = failure(() => renderer().render('errors/macro.html', {}));
    expect(templateFrames(error)).toEqual([
      "macro 'card' @ errors/macro.html:3:15",
      'top-level template code @ errors/macro.html:6:4',
    ]);
  });

  it('a string template reports its line too', () => {
    const error = failure(() => renderer().renderString('one\ntwo {{ nope() }}', {}));
    expect(error.message).toMatch(/`nope` is undefined.* \(\(template string\), line 2, column 8\)$/);
  });

  it('an unknown filter names the registration that fixes it', () => {
    const error = failure(() => renderer().renderString('{{ 1 | shout }}', {}));
    expect(error.message).toBe(
      "unknown filter 'shout': register it with app.templateFilter('shout', fn), or check the name ((template string), line 1, column 8)",
    );
  });

  it('a template that renders fine after one that failed is unaffected', () => {
    const engine = renderer();
    failure(() => engine.render('errors/child-block.html', {}));
    expect(engine.render('errors/parent-error.html', { footer: () => 'bye' })).toContain('<footer>bye</footer>');
    expect(Error.stackTraceLimit).toBe(10);
  });
});
