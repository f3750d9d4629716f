/** `--app PATH:createApp(…)`: the factory call read as Flask reads `create_app(…)` (literal arguments only). */
import { describe, expect, it } from 'vitest';
import { parseFactoryCall } from '../../src/dev/factory-call.js';

describe('parseFactoryCall', () => {
  it('reads a bare name, an empty call and literal arguments, with spaces and a trailing comma', () => {
    expect(parseFactoryCall('app')).toEqual({ name: 'app', args: null });
    expect(parseFactoryCall(' createApp () ')).toEqual({ name: 'createApp', args: [] });
    expect(
      parseFactoryCall(`createApp('dev', "two", 3, -1.5, true, False, None, [1, 'x'], {"a": {"b": null}}, )`),
    ).toEqual({
      name: 'createApp',
      args: ['dev', 'two', 3, -1.5, true, false, null, [1, 'x'], { a: { b: null } }],
    });
  });

  it("reads strings as Python does: escapes it knows, \\xhh, and the backslash of one it does not ('C:\\data')", () => {
    const arg = (text: string) => parseFactoryCall(`f(${text})`)!.args![0];
    expect(arg(String.raw`'C:\data'`)).toBe(String.raw`C:\data`);
    expect(arg(String.raw`'it\'s'`)).toBe("it's");
    expect(arg(`'say "hi"'`)).toBe('say "hi"');
    expect(arg(String.raw`"a\tb\n\\"`)).toBe('a\tb\n\\');
    expect(arg(String.raw`'\x41\u00e9'`)).toBe('Aé');
    expect(arg(String.raw`'a\/b'`)).toBe(String.raw`a\/b`);
    expect(arg("'tab\there'")).toBe('tab\there'); // a raw tab inside the quotes
    expect(parseFactoryCall('f("a:b", \'c,d)\')')).toEqual({ name: 'f', args: ['a:b', 'c,d)'] });
  });

  it('is null for what is no call, and refuses arguments that are not literals', () => {
    expect(parseFactoryCall('app.ts')).toBeNull();
    expect(parseFactoryCall('createApp(')).toBeNull();
    for (const bad of ['createApp(process.env)', 'createApp(,)', 'createApp(1,,2)', "createApp('open)", 'f({a: 1})']) {
      expect(() => parseFactoryCall(bad), bad).toThrow(/are not literals: give strings, numbers, true, false, null/);
    }
  });
});
