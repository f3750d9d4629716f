/** The debug page over real HTTP for errors in templates: the template is a frame, its source shown at the right line. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, renderTemplate } from 'flagon';
import { debuggedApp } from 'flagon/dev';
import { serve, silentStream, type RunningServer } from 'flagon/serving';
import { fetchRaw } from '../helpers/http.js';

const app = new App(new URL('../templating/fixtures/app.ts', import.meta.url).href, {
  name: 'debug-templates',
  staticFolder: null,
  config: { DEBUG: true },
});
app.templateFilter('explode', (value: unknown) => {
  throw new RangeError(`cannot explode ${String(value)}`);
});
app.get('/child', () => renderTemplate('errors/child-block.html'));
app.get('/include', () => renderTemplate('errors/includes-filter.html', { items: ['x'] }));
app.get('/syntax', () => renderTemplate('errors/includes-broken.html'));

let server: RunningServer;
beforeAll(async () => {
  server = await serve(debuggedApp(app.gatewayApp), { port: 0, host: '127.0.0.1', errors: silentStream });
});
afterAll(() => server.close());

/** The debug page's frames, in order: the header text and, when source is shown, the highlighted line. */
function frames(html: string): Array<{ kind: string; where: string; current: string | null }> {
  const found: Array<{ kind: string; where: string; current: string | null }> = [];
  for (const match of html.matchAll(
    /<(?:div|details) class="frame ([a-z]+)">\s*<(?:div class="where"|summary)>(.*?)<\/(?:div|summary)>\s*(?:<pre class="source">(.*?)<\/pre>)?/gs,
  )) {
    const current = /<span class="current"><span class="no">(\d+)<\/span>(.*?)<\/span>/.exec(match[3] ?? '');
    found.push({
      kind: match[1]!,
      where: match[2]!.replace(/<[^>]+>/g, ''),
      current: current ? `${current[1]}: ${current[2]}` : null,
    });
  }
  return found;
}

describe('the debug page for template errors', () => {
  it('shows an error in a child block at its template line, then the layout and the extends tag, each with source', async () => {
    const response = await fetchRaw(`${server.url}/child`);
    expect(response.status).toBe(500);
    expect(response.text).toContain('<h1>TemplateError</h1>');
    expect(response.text.split('(errors/child-block.html, line 5, column 9)')).toHaveLength(2);
    expect(response.text).not.toContain('Template render error');
    const templateFrames = frames(response.text).filter((frame) => frame.where.includes('.html:'));
    expect(
      templateFrames.map(({ kind, where, current }) => ({
        kind,
        where: where.replace(/ \/\S+\/templates\//, ' '),
        current,
      })),
    ).toEqual([
      {
        kind: 'app',
        where: 'block &#39;body&#39; errors/child-block.html:5:9',
        current: '5:   &lt;p&gt;{{ missing() }}&lt;/p&gt;',
      },
      {
        kind: 'app',
        where: 'top-level template code errors/layout.html:3:4',
        current: '3: {% block body %}{% endblock %}',
      },
      {
        kind: 'app',
        where: 'top-level template code errors/child-block.html:1:4',
        current: '1: {% extends &quot;errors/layout.html&quot; %}',
      },
    ]);
  });

  it("shows a filter's error under the filter's own frame: the included template's line, then the include tag", async () => {
    const response = await fetchRaw(`${server.url}/include`);
    expect(response.text).toContain('<h1>RangeError</h1>');
    const shown = frames(response.text);
    const filter = shown.findIndex((frame) => frame.where.includes('debug-page-templates.test.ts'));
    const template = shown.findIndex((frame) => frame.where.includes('errors/filter.html:4:17'));
    expect(filter).toBeGreaterThanOrEqual(0);
    expect(template).toBeGreaterThan(filter);
    expect(shown[template]!.current).toBe('4:   &lt;li&gt;{{ item | explode }}&lt;/li&gt;');
    const includer = shown.slice(template + 1).find((frame) => frame.where.includes('.html:'));
    expect(includer).toMatchObject({ kind: 'app', current: '3: {% include &quot;errors/filter.html&quot; %}' });
  });

  it("shows a syntax error in an included template at the parser's line, and folds nunjucks's own frames", async () => {
    const response = await fetchRaw(`${server.url}/syntax`);
    expect(response.text).toContain('<h1>TemplateSyntaxError</h1>');
    const shown = frames(response.text);
    expect(shown[0]).toMatchObject({ kind: 'app', current: '3: {{ user.name( }}' });
    expect(shown[0]!.where).toMatch(/^template \S+errors\/broken\.html:3:15$/);
    expect(shown.find((frame) => frame.where.includes('errors/includes-broken.html:4:4'))?.kind).toBe('app');
    expect(
      shown.filter((frame) => frame.where.includes('node_modules')).every((frame) => frame.kind === 'library'),
    ).toBe(true);
  });
});
