/**
 * Port of Flask's tests/test_signals.py (github.com/pallets/flask, tag 3.1.3, commit
 * 22d924701a6ae2e4cd01e9a15bbaf3946094af65) to Flagon. BSD-3-Clause, Copyright 2010 Pallets: see
 * LICENSE-pallets.txt. One `it` per upstream test.
 *
 * Flask's blinker signals are `flagon`'s `templateRendered`, `requestStarted`, … (camelCase); a receiver gets the
 * sender and the signal's keyword arguments as one object (`(sender, { template, context }) => …`).
 * `signal.connect(fn, app)` / `signal.disconnect(fn, app)` are blinker's; `app.testing = False` is `TESTING: false`.
 */
import { describe, expect, it } from 'vitest';
import {
  appcontextPopped,
  appcontextPushed,
  appcontextTearingDown,
  beforeRenderTemplate,
  flash,
  gotRequestException,
  messageFlashed,
  redirect,
  renderTemplate,
  requestFinished,
  requestStarted,
  type Response,
} from 'flagon';
import { templateRendered, type SignalTemplate } from 'flagon/app';
import { flaskApp } from './support.js';

describe('flask tests/test_signals.py', () => {
  it('test_template_rendered', async () => {
    const app = flaskApp();
    app.get('/', () => renderTemplate('simple_template.html', { whiskey: 42 }));
    const recorded: Array<[SignalTemplate, Record<string, unknown>]> = [];
    const record = (
      _sender: unknown,
      { template, context }: { template: SignalTemplate; context: Record<string, unknown> },
    ) => recorded.push([template, context]);
    templateRendered.connect(record, app);
    try {
      await app.testClient().get('/');
      expect(recorded).toHaveLength(1);
      const [template, context] = recorded[0]!;
      expect(template.name).toBe('simple_template.html');
      expect(context.whiskey).toBe(42);
    } finally {
      templateRendered.disconnect(record, app);
    }
  });

  it('test_before_render_template', async () => {
    const app = flaskApp();
    app.get('/', () => renderTemplate('simple_template.html', { whiskey: 42 }));
    const recorded: Array<[SignalTemplate, Record<string, unknown>]> = [];
    const record = (
      _sender: unknown,
      { template, context }: { template: SignalTemplate; context: Record<string, unknown> },
    ) => {
      context.whiskey = 43;
      recorded.push([template, context]);
    };
    beforeRenderTemplate.connect(record, app);
    try {
      const rv = await app.testClient().get('/');
      expect(recorded).toHaveLength(1);
      const [template, context] = recorded[0]!;
      expect(template.name).toBe('simple_template.html');
      expect(context.whiskey).toBe(43);
      expect(rv.text).toBe('<h1>43</h1>');
    } finally {
      beforeRenderTemplate.disconnect(record, app);
    }
  });

  it('test_request_signals', async () => {
    const app = flaskApp();
    const calls: string[] = [];
    const beforeRequestSignal = () => calls.push('before-signal');
    // `assert response.data == b"stuff"` inside the receiver: getData() is async, so the response is checked after.
    let finished: Response | undefined;
    const afterRequestSignal = (_sender: unknown, { response }: { response: Response }) => {
      finished = response;
      calls.push('after-signal');
    };
    app.beforeRequest(() => {
      calls.push('before-handler');
    });
    app.afterRequest((response) => {
      calls.push('after-handler');
      response.setData('stuff');
      return response;
    });
    app.get('/', () => {
      calls.push('handler');
      return 'ignored anyway';
    });
    requestStarted.connect(beforeRequestSignal, app);
    requestFinished.connect(afterRequestSignal, app);
    try {
      const rv = await app.testClient().get('/');
      expect(rv.text).toBe('stuff');
      expect(new TextDecoder().decode(await finished!.getData())).toBe('stuff');
      expect(calls).toEqual(['before-signal', 'before-handler', 'handler', 'after-handler', 'after-signal']);
    } finally {
      requestStarted.disconnect(beforeRequestSignal, app);
      requestFinished.disconnect(afterRequestSignal, app);
    }
  });

  it('test_request_exception_signal', async () => {
    const app = flaskApp({ TESTING: false });
    const recorded: unknown[] = [];
    app.get('/', () => {
      throw new RangeError('division by zero');
    });
    const record = (_sender: unknown, { exception }: { exception: unknown }) => recorded.push(exception);
    gotRequestException.connect(record, app);
    try {
      expect((await app.testClient().get('/')).status).toBe(500);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toBeInstanceOf(RangeError);
    } finally {
      gotRequestException.disconnect(record, app);
    }
  });

  it('test_appcontext_signals', async () => {
    const app = flaskApp();
    const recorded: string[] = [];
    const recordPush = () => recorded.push('push');
    const recordPop = () => recorded.push('pop');
    app.get('/', () => 'Hello');
    appcontextPushed.connect(recordPush, app);
    appcontextPopped.connect(recordPop, app);
    try {
      const rv = await app.testClient().get('/');
      expect(rv.text).toBe('Hello');
      expect(recorded).toEqual(['push', 'pop']);
    } finally {
      appcontextPushed.disconnect(recordPush, app);
      appcontextPopped.disconnect(recordPop, app);
    }
  });

  it('test_flash_signal', async () => {
    const app = flaskApp();
    app.get('/', () => {
      flash('This is a flash message', 'notice');
      return redirect('/other');
    });
    const recorded: Array<[string, string]> = [];
    const record = (_sender: unknown, { message, category }: { message: string; category: string }) =>
      recorded.push([message, category]);
    messageFlashed.connect(record, app);
    try {
      const client = app.testClient();
      await client.sessionTransaction(async () => {
        await client.get('/');
        expect(recorded).toEqual([['This is a flash message', 'notice']]);
      });
    } finally {
      messageFlashed.disconnect(record, app);
    }
  });

  it('test_appcontext_tearing_down_signal', async () => {
    const app = flaskApp({ TESTING: false });
    const recorded: unknown[] = [];
    const recordTeardown = (_sender: unknown, { exc }: { exc: unknown }) => recorded.push(exc);
    app.get('/', () => {
      throw new RangeError('division by zero');
    });
    appcontextTearingDown.connect(recordTeardown, app);
    try {
      const rv = await app.testClient().get('/');
      expect(rv.status).toBe(500);
      expect(recorded).toHaveLength(1);
      expect(recorded[0]).toBeInstanceOf(RangeError);
    } finally {
      appcontextTearingDown.disconnect(recordTeardown, app);
    }
  });
});
