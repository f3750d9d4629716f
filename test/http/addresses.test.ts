/** AddressList: the peers a server trusts (gunicorn's forwarded_allow_ips), IPv4 and IPv6, addresses and networks. */
import { describe, expect, it } from 'vitest';
import { AddressList, parseAddress } from '../../src/http/addresses.js';

describe('parseAddress', () => {
  it.each([
    ['127.0.0.1', [127, 0, 0, 1]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['::ffff:10.0.0.1', [10, 0, 0, 1]],
    ['::FFFF:a00:1', [10, 0, 0, 1]],
  ])('reads %s', (text, bytes) => {
    expect([...parseAddress(text)!]).toEqual(bytes);
  });

  it('reads IPv6 with and without ::', () => {
    expect([...parseAddress('::1')!]).toEqual([...new Array(15).fill(0), 1]);
    expect([...parseAddress('::')!]).toEqual(new Array(16).fill(0));
    expect([...parseAddress('fe80::1:2')!].slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(parseAddress('1:2:3:4:5:6:7:8')![15]).toBe(8);
    expect(parseAddress('64:ff9b::192.0.2.33')![15]).toBe(33);
  });

  it.each([
    '',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3.-1',
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7::8',
    '12345::',
    'g::1',
    '::1.2.3',
  ])('refuses %j', (text) => {
    expect(parseAddress(text)).toBe(null);
  });
});

describe('AddressList', () => {
  it('matches addresses and networks, IPv4 peers seen through a dual-stack socket included', () => {
    const list = AddressList.parse(['127.0.0.1', '::1', '10.0.0.0/8', '192.168.1.128/25', 'fd00::/8']);
    for (const yes of ['127.0.0.1', '::1', '10.255.0.1', '192.168.1.200', 'fdab::7', '::ffff:127.0.0.1'])
      expect(list.has(yes), yes).toBe(true);
    for (const no of ['127.0.0.2', '::2', '11.0.0.1', '192.168.1.127', 'fe00::1', '', 'unix', '::ffff:11.0.0.1'])
      expect(list.has(no), no).toBe(false);
    expect(list.any).toBe(false);
    // The same peer asked twice in a row (the memo), then another, then the first again.
    expect([
      list.has('10.0.0.9'),
      list.has('10.0.0.9'),
      list.has('11.0.0.9'),
      list.has('11.0.0.9'),
      list.has('10.0.0.9'),
    ]).toEqual([true, true, false, false, true]);
  });

  it("'*' is every peer, even one with no address", () => {
    const list = AddressList.parse(['127.0.0.1', ' * ']);
    expect(list.any).toBe(true);
    expect(list.has('203.0.113.9')).toBe(true);
    expect(list.has('')).toBe(true);
  });

  it('takes /0 and whole-address prefixes', () => {
    expect(AddressList.parse(['0.0.0.0/0']).has('8.8.8.8')).toBe(true);
    expect(AddressList.parse(['0.0.0.0/0']).has('::1')).toBe(false);
    expect(AddressList.parse(['10.0.0.1/32']).has('10.0.0.1')).toBe(true);
    expect(AddressList.parse(['10.0.0.1/32']).has('10.0.0.2')).toBe(false);
  });

  it.each(['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/x', ''])('names the entry %j', (entry) => {
    expect(() => AddressList.parse([entry])).toThrow(
      `'${entry}', not an IP address or network; give addresses ('127.0.0.1', '::1'), networks ('10.0.0.0/8') or '*' for any`,
    );
  });
});
