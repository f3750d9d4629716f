/** @module IP addresses and networks (layer L1, sans-IO): which peers a server trusts, as gunicorn's `forwarded_allow_ips`. */

/**
 * Reads an IPv4 or IPv6 address into its bytes (4 or 16), or `null` when the text is not one. An IPv4-mapped IPv6
 * address (`::ffff:127.0.0.1`, what a dual-stack socket reports for an IPv4 peer) reads as the IPv4 address.
 *
 * @example
 * parseAddress('10.0.0.1'); // Uint8Array [10, 0, 0, 1]
 * parseAddress('::1')?.length; // 16
 * parseAddress('localhost'); // null
 */
export function parseAddress(text: string): Uint8Array | null {
  if (!text.includes(':')) return parseIPv4(text);
  const bytes = parseIPv6(text);
  if (bytes === null) return null;
  const mapped = bytes.subarray(0, 12).every((byte, i) => byte === (i < 10 ? 0 : 0xff));
  return mapped ? bytes.slice(12) : bytes;
}

function parseIPv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i += 1) {
    const part = parts[i]!;
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return null;
    bytes[i] = Number(part);
  }
  return bytes;
}

function parseIPv6(text: string): Uint8Array | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string): number[] | null => {
    if (half === '') return [];
    const out: number[] = [];
    const parts = half.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIPv4(part); // a trailing dotted quad: ::ffff:1.2.3.4
        if (v4 === null) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/i.test(part)) {
        out.push(Number.parseInt(part, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || tail === null) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<number>(missing).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}

/**
 * A set of peers: addresses (`'127.0.0.1'`, `'::1'`), networks (`'10.0.0.0/8'`, `'fd00::/8'`) or `'*'` for any.
 * Built once; {@link AddressList.has} is a few byte comparisons per entry.
 *
 * @example
 * const proxies = AddressList.parse(['127.0.0.1', '10.0.0.0/8']);
 * proxies.has('10.1.2.3'); // true
 * proxies.has('::ffff:127.0.0.1'); // true
 * proxies.has('203.0.113.9'); // false
 */
export class AddressList {
  private constructor(
    private readonly networks: readonly { bytes: Uint8Array; bits: number }[],
    /** Whether the list is `'*'`: every peer. */
    readonly any: boolean,
  ) {}

  /**
   * Reads the entries; a malformed one throws a `TypeError` whose message names it and shows the accepted forms.
   *
   * @example
   * AddressList.parse(['*']).any; // true
   */
  static parse(entries: readonly string[]): AddressList {
    if (entries.some((entry) => entry.trim() === '*')) return new AddressList([], true);
    const networks = entries.map((entry) => {
      const [address = '', bits, extra] = entry.trim().split('/');
      const bytes = parseAddress(address);
      const width = bytes === null ? 0 : bytes.length * 8;
      const prefix = bits === undefined ? width : /^\d{1,3}$/.test(bits) ? Number(bits) : -1;
      if (bytes === null || extra !== undefined || prefix < 0 || prefix > width)
        throw new TypeError(
          `'${entry}', not an IP address or network; give addresses ('127.0.0.1', '::1'), networks ('10.0.0.0/8') or '*' for any`,
        );
      return { bytes, bits: prefix };
    });
    return new AddressList(networks, false);
  }

  /**
   * Whether `address` is in the list. Text that is not an IP address (an empty `REMOTE_ADDR`, from a UNIX socket)
   * is in no list but `'*'`.
   *
   * @example
   * AddressList.parse(['::1']).has('::1'); // true
   */
  has(address: string): boolean {
    if (this.any) return true;
    // Behind a proxy nearly every request comes from the same peer: remember the last answer.
    if (address === this.#lastAddress) return this.#lastAnswer;
    const bytes = parseAddress(address);
    const answer =
      bytes !== null &&
      this.networks.some((network) => network.bytes.length === bytes.length && inPrefix(network, bytes));
    this.#lastAddress = address;
    this.#lastAnswer = answer;
    return answer;
  }

  #lastAddress: string | null = null;
  #lastAnswer = false;
}

function inPrefix(network: { bytes: Uint8Array; bits: number }, bytes: Uint8Array): boolean {
  const whole = network.bits >> 3;
  for (let i = 0; i < whole; i += 1) if (network.bytes[i] !== bytes[i]) return false;
  const rest = network.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (network.bytes[whole]! & mask) === (bytes[whole]! & mask);
}
