/**
 * FreeSWITCH's url encoding of plain-format header values (switch_url_encode_opt): unsafe bytes
 * become %XX, but an existing valid %XX is left alone (no double encoding). So a value that
 * already held "%E4" reaches us unescaped and may not be valid UTF-8 — which is exactly what
 * makes modesl's bare decodeURIComponent throw and crash the process.
 */

const HEX = '0123456789ABCDEF';
const UNSAFE = new Set('\r\n #%&+:;<=>?@[\\]^`{|}"');

function hexVal(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

// FreeSWITCH only recognises upper-case hex when deciding not to double-encode.
function isUpperHex(code: number | undefined): boolean {
  return code !== undefined && ((code >= 48 && code <= 57) || (code >= 65 && code <= 70));
}

/** Decodes %XX escapes; never throws. Invalid escapes stay literal, invalid UTF-8 becomes U+FFFD. */
export function safeUrlDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return lenientDecode(value);
  }
}

function lenientDecode(value: string): string {
  const literal = Buffer.from(value, 'utf8');
  const out = Buffer.allocUnsafe(literal.length);
  let o = 0;
  for (let i = 0; i < literal.length; i += 1) {
    const b = literal[i] ?? 0;
    if (b === 0x25 && i + 2 < literal.length) {
      const hi = hexVal(literal[i + 1] ?? 0);
      const lo = hexVal(literal[i + 2] ?? 0);
      if (hi >= 0 && lo >= 0) {
        out[o++] = hi * 16 + lo;
        i += 2;
        continue;
      }
    }
    out[o++] = b;
  }
  return out.toString('utf8', 0, o);
}

/** The same encoding FreeSWITCH applies (used by the test peer and for round-trip tests). */
export function fsUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i] ?? 0;
    const keep = b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2]);
    const ch = String.fromCharCode(b);
    if (!keep && (b < 0x20 || b > 0x7e || UNSAFE.has(ch))) {
      out += `%${HEX[b >> 4] ?? '0'}${HEX[b & 0x0f] ?? '0'}`;
    } else {
      out += ch;
    }
  }
  return out;
}
