import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  App,
  appcontextPopped,
  appcontextPushed,
  appcontextTearingDown,
  renderTemplate,
  renderTemplateString,
  requestFinished,
  requestStarted,
  requestTearingDown,
  templateRendered,
} from 'flagon';
import { FlagonError, Signal, type SignalSender } from 'flagon/app';

const fixtureUrl = new URL('./fixture-app/app.ts', import.meta.url).href;
const newApp = (config: Record<string, unknown> = {}) =>
  new App(fixtureUrl, { name: 'signals', config: { TESTING: true, ...config }, staticFolder: null });

/** A sender of one's own, as blinker allows any object; its logger records what failed. */
const sender = (failures: unknown[] = []): SignalSender => ({
  name: 'sender',
  openSession: () => {
    throw new Error('no sessions');
  },
  urlFor: () => '',
  logger: { error: (message: string, error: unknown) => failures.push([message, error]) },
});

describe('Signal', () => {
  it('calls receivers in order, for every sender or only the one they connected for', () => {
    const signal = new Signal<{ n: number }>('counted');
    const [a, b] = [sender(), sender()];
    const heard: string[] = [];
    const any = (_s: SignalSender, { n }: { n: number }) => heard.push(`any ${n}`);
    const onlyA = (s: SignalSender, { n }: { n: number }) => heard.push(`a ${n} ${s === a}`);
    expect(signal.hasReceivers).toBe(false);
    signal.connect(any);
    signal.connect(onlyA, a);
    signal.connect(onlyA, a); // again: still once
    signal.send(a, { n: 1 });
    signal.send(b, { n: 2 });
    expect(heard).toEqual(['any 1', 'a 1 true', 'any 2']);
    signal.disconnect(onlyA, b); // not connected for b: changes nothing
    signal.send(a, { n: 3 });
    signal.disconnect(onlyA); // from every sender
    signal.send(a, { n: 4 });
    expect(heard.slice(3)).toEqual(['any 3', 'a 3 true', 'any 4']);
    const connection = signal.connectedTo(onlyA, a);
    signal.send(a, { n: 5 });
    connection[Symbol.dispose]();
    signal.send(a, { n: 6 });
    signal.disconnect(any);
    expect(heard.slice(6)).toEqual(['any 5', 'a 5 true', 'any 6']);
    expect(signal.hasReceivers).toBe(false);
  });

  it('returns what receivers return; one connecting during a send hears the next send', () => {
    const signal = new Signal('late');
    const late = () => 'late';
    const first = () => {
      signal.connect(late);
      return 'first';
    };
    signal.connect(first);
    expect(signal.send(sender(), {})).toEqual(['first']);
    expect(signal.send(sender(), {})).toEqual(['first', 'late']);
  });

  it("logs an async receiver's failure through the sender's logger, and refuses what is not a function", async () => {
    const failures: unknown[] = [];
    const signal = new Signal('async');
    const failing = (): Promise<never> => Promise.reject(new Error('receiver broke'));
    signal.connect(failing);
    const [result] = signal.send(sender(failures), {});
    await (result as Promise<never>).catch(() => undefined);
    await Promise.resolve();
    expect(failures).toEqual([['The async receiver failing failed', new Error('receiver broke')]]);
    expect(() => signal.connect('record' as never)).toThrow(FlagonError);
    expect(() => signal.connect('record' as never)).toThrow(
      'async.connect() takes a function (sender, extra) => …, not string',
    );
  });
  it("answers hasReceiversFor per sender: one app's receivers leave every other sender's sends empty", () => {
    const signal = new Signal('per-sender');
    const [a, b] = [sender(), sender()];
    const record = () => 'heard';
    signal.connect(record, a);
    expect([signal.hasReceiversFor(a), signal.hasReceiversFor(b), signal.hasReceivers]).toEqual([true, false, true]);
    signal.connect(record); // for every sender too
    expect(signal.hasReceiversFor(b)).toBe(true);
    signal.disconnect(record, a); // the one for a goes; the one for every sender stays
    expect([signal.hasReceiversFor(a), signal.send(a, {})]).toEqual([true, ['heard']]);
    signal.disconnect(record);
    expect([signal.hasReceiversFor(a), signal.hasReceiversFor(b), signal.hasReceivers]).toEqual([false, false, false]);
    // Connected for every sender and for a, it is still one receiver: called once, as blinker's.
    signal.connect(record);
    signal.connect(record, a);
    expect(signal.send(a, {})).toEqual(['heard']);
    signal.disconnect(record);
    // A sender is an object (the app): a string is refused with the fix, not a WeakRef TypeError.
    expect(() => signal.connect(record, 'app' as never)).toThrow(
      /per-sender\.connect\(receiver, sender\): the sender is the app \(or another object\) to hear, not string app/,
    );
  });

  it('holds a sender weakly, as blinker: a collected sender takes its connections with it', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const signal = new Signal('weak');
    const record = () => 'heard';
    // The sender exists only inside this call: nothing but the signal could keep it.
    ((): void => {
      signal.connect(record, sender());
    })();
    expect(signal.hasReceivers).toBe(true);
    // The registry's callback runs in a task after a collection: collect until it has (a few rounds at most).
    for (let round = 0; round < 50 && signal.hasReceivers; round += 1) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(signal.hasReceivers).toBe(false);
  });
});

describe("the App's signals", () => {
  it('send the request signals for a plain view too, and answer the same once disconnected', async () => {
    const app = newApp();
    app.get('/', () => 'plain'); // the short branch, while nobody listens
    const heard: string[] = [];
    const started = () => heard.push('started');
    const finished = (_s: SignalSender, { response }: { response: { status: number } }) =>
      heard.push(`finished ${response.status}`);
    requestStarted.connect(started, app);
    requestFinished.connect(finished, app);
    try {
      expect((await app.testClient().get('/')).text).toBe('plain');
      expect(heard).toEqual(['started', 'finished 200']);
    } finally {
      requestStarted.disconnect(started);
      requestFinished.disconnect(finished);
    }
    expect((await app.testClient().get('/')).text).toBe('plain');
    expect(heard).toHaveLength(2);
  });

  it("end a request in Flask's order, with the error or null, and only for the app they connected for", async () => {
    const app = newApp({ TESTING: false });
    const other = newApp();
    app.get('/', () => 'fine');
    app.get('/broken', () => {
      throw new TypeError('broken view');
    });
    app.teardownRequest(() => {
      heard.push('teardown hook');
    });
    other.get('/', () => 'other');
    const heard: unknown[] = [];
    const connections = [
      requestTearingDown.connectedTo((_s, { exc }) => heard.push(['request tearing down', exc]), app),
      appcontextTearingDown.connectedTo((_s, { exc }) => heard.push(['appcontext tearing down', exc]), app),
      appcontextPopped.connectedTo(() => heard.push('popped'), app),
    ];
    try {
      await app.testClient().get('/');
      await other.testClient().get('/');
      expect(heard).toEqual([
        'teardown hook',
        ['request tearing down', null],
        ['appcontext tearing down', null],
        'popped',
      ]);
      heard.length = 0;
      expect((await app.testClient().get('/broken')).status).toBe(500);
      expect(heard.map((entry) => (Array.isArray(entry) ? entry[1] : entry))).toEqual([
        'teardown hook',
        new TypeError('broken view'),
        new TypeError('broken view'),
        'popped',
      ]);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });

  it("send a receiver's error where the request sends its own: a 500 through the handlers", async () => {
    const app = newApp({ TESTING: false });
    app.get('/', () => 'never');
    app.errorHandler(500, () => ['handled', 500]);
    const connection = requestStarted.connectedTo(() => {
      throw new Error('receiver failed');
    }, app);
    try {
      const rv = await app.testClient().get('/');
      expect([rv.status, rv.text]).toEqual([500, 'handled']);
    } finally {
      connection.disconnect();
    }
  });

  it("send an appcontextPushed receiver's error through the 500, and still end the request", async () => {
    const app = newApp({ TESTING: false });
    const ended: unknown[] = [];
    app.get('/', () => 'never');
    app.teardownRequest((error) => {
      ended.push(error);
    });
    app.errorHandler(500, () => ['handled', 500]);
    const connection = appcontextPushed.connectedTo(() => {
      throw new Error('pushed failed');
    }, app);
    try {
      const rv = await app.testClient().get('/');
      expect([rv.status, rv.text]).toEqual([500, 'handled']);
      expect(ended).toEqual([new Error('pushed failed')]); // it left handle() with no teardown
    } finally {
      connection.disconnect();
    }
  });

  it('tell of app contexts made by appContext().run()', async () => {
    const app = newApp();
    const heard: string[] = [];
    const connections = [
      appcontextPushed.connectedTo(() => heard.push('pushed'), app),
      appcontextPopped.connectedTo(() => heard.push('popped'), app),
    ];
    try {
      expect(app.appContext().run(() => 'ran')).toBe('ran');
      await app.appContext().run(async () => undefined);
      expect(heard).toEqual(['pushed', 'popped', 'pushed', 'popped']);
    } finally {
      for (const connection of connections) connection.disconnect();
    }
  });

  it('name the template a list of names chose, and null for a template string', async () => {
    const app = newApp();
    app.get('/list', () => renderTemplate(['missing.html', 'escape.html'], { value: 'x' }));
    app.get('/string', () => renderTemplateString('{{ 1 + 1 }}'));
    const names: Array<string | null> = [];
    const connection = templateRendered.connectedTo((_s, { template }) => names.push(template.name), app);
    try {
      await app.testClient().get('/list');
      expect((await app.testClient().get('/string')).text).toBe('2');
      expect(names).toEqual(['escape.html', null]);
    } finally {
      connection.disconnect();
    }
  });
});
