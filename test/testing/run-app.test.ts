import { describe, expect, it } from 'vitest';
import { checkEnviron, type GatewayApp } from 'flagon/gateway';
import { collectingStream, createEnviron, runApp } from 'flagon/testing';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const readAll = async (input: AsyncIterable<Uint8Array>): Promise<string> => {
  let text = '';
  for await (const chunk of input) text += new TextDecoder().decode(chunk);
  return text;
};

describe('createEnviron()', () => {
  it('builds an environ that passes the spec checks', () => {
    expect(() => checkEnviron(createEnviron('/'))).not.toThrow();
    expect(() =>
      checkEnviron(createEnviron('/x', { method: 'post', body: 'a', scriptName: '/app', query: { a: [1, 2] } })),
    ).not.toThrow();
  });

  it('decodes the path as a server would and keeps the raw target', () => {
    const environ = createEnviron('/café/a%20b?x=1', { query: { y: 'two words' } });
    expect(environ.PATH_INFO).toBe('/café/a b');
    expect(environ.QUERY_STRING).toBe('x=1&y=two+words');
    expect(environ.REQUEST_URI).toBe('/caf%C3%A9/a%20b?x=1&y=two+words');
  });

  it('splits SCRIPT_NAME from PATH_INFO', () => {
    const environ = createEnviron('/users/1', { scriptName: '/api' });
    expect([environ.SCRIPT_NAME, environ.PATH_INFO, environ.REQUEST_URI]).toEqual(['/api', '/users/1', '/api/users/1']);
  });

  it('sets headers, Host and the body with its length', async () => {
    const environ = createEnviron('/', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'X-Many': ['a', 'b'] },
      body: 'héllo',
    });
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'POST',
      CONTENT_TYPE: 'text/plain',
      CONTENT_LENGTH: '6',
      HTTP_X_MANY: 'a, b',
      HTTP_HOST: 'localhost',
    });
    expect(await readAll(environ['tsgi.input'])).toBe('héllo');
    expect(await readAll(environ['tsgi.input'])).toBe(''); // read once, like a socket
  });

  it('sends chunked bodies without a Content-Length', async () => {
    const environ = createEnviron('/', { method: 'PUT', body: [bytes('a'), bytes('b')] });
    expect(environ.CONTENT_LENGTH).toBeUndefined();
    expect(await readAll(environ['tsgi.input'])).toBe('ab');
  });

  it('takes extra keys last', () => {
    expect(createEnviron('/', { extra: { 'flagon.test': 1, REMOTE_ADDR: '10.0.0.1' } })).toMatchObject({
      'flagon.test': 1,
      REMOTE_ADDR: '10.0.0.1',
    });
  });
});

describe('runApp()', () => {
  it('collects status, headers and body and calls close()', async () => {
    let closed = 0;
    const app: GatewayApp = (_e, start) => {
      start('201 Created', [
        ['Location', '/x'],
        ['Content-Type', 'text/plain'],
      ]);
      return Object.assign([bytes('made '), bytes('it')], {
        close: () => {
          closed++;
        },
      });
    };
    const response = await runApp(app, createEnviron('/'));
    expect([response.status, response.statusCode, response.text, response.header('location'), closed]).toEqual([
      '201 Created',
      201,
      'made it',
      '/x',
      1,
    ]);
  });

  it('runs async apps, async bodies and write()', async () => {
    const app: GatewayApp = async (_e, start) => {
      const write = start('200 OK', []);
      write(bytes('a'));
      return (async function* () {
        yield bytes('b');
      })();
    };
    expect((await runApp(app, createEnviron('/'))).text).toBe('ab');
  });

  it('drops the body for HEAD and 204 as a server would', async () => {
    const app: GatewayApp = (environ, start) => {
      start(environ.PATH_INFO === '/none' ? '204 No Content' : '200 OK', []);
      return [bytes('body')];
    };
    expect((await runApp(app, createEnviron('/', { method: 'HEAD' }))).body.byteLength).toBe(0);
    expect((await runApp(app, createEnviron('/none'))).text).toBe('');
  });

  it('propagates app errors and still closes the body', async () => {
    let closed = false;
    const app: GatewayApp = (_e, start) => {
      start('200 OK', []);
      return Object.assign(
        (function* () {
          yield bytes('x');
          throw new Error('mid-body');
        })(),
        {
          close: () => {
            closed = true;
          },
        },
      );
    };
    await expect(runApp(app, createEnviron('/'))).rejects.toThrow('mid-body');
    expect(closed).toBe(true);
  });

  it('names the spec section when startResponse is missing or doubled', async () => {
    await expect(runApp(() => [], createEnviron('/'))).rejects.toThrow(/without calling startResponse\(\).*§5\.2/);
    await expect(
      runApp((_e, s) => {
        s('200 OK', []);
        s('200 OK', []);
        return [];
      }, createEnviron('/')),
    ).rejects.toThrow(/§4\.3/);
  });

  it('keeps what the app logged', async () => {
    const errors = collectingStream();
    await runApp(
      (environ, start) => {
        environ['tsgi.errors'].write('note\n');
        start('200 OK', []);
        return [];
      },
      createEnviron('/', { errors }),
    );
    expect(errors.text).toBe('note\n');
  });
});
