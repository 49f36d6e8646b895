// V8's JSON.parse messages quote the text around the error ("Unexpected token 'M', ...\"orderId\":
// MARKER..\" is not valid JSON"), so they must never be logged for a message body. What a
// reader needs is the error class and where the text broke; that is what these functions give.

/**
 * Where `text` stops being JSON: the offset of the first character a JSON parser rejects
 * (`text.length` when the text ends early), or undefined when it is valid JSON or too deeply
 * nested to scan. Call it only after JSON.parse has failed; it never looks at more than it must.
 */
export function jsonSyntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw new ScanStop(i);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const take = (char: string) => {
    if (text[i] !== char) fail();
    i++;
  };
  const string = () => {
    take('"');
    while (text[i] !== '"') {
      if (i >= text.length || text.charCodeAt(i) < 0x20) fail();
      if (text[i++] !== '\\') continue;
      if (text[i] === 'u') {
        i++;
        for (let digits = 0; digits < 4; digits++) {
          if (!/[\da-fA-F]/.test(text[i] ?? '')) fail();
          i++;
        }
      } else if (i < text.length && '"\\/bfnrt'.includes(text[i])) {
        i++;
      } else {
        fail();
      }
    }
    i++;
  };
  const number = () => {
    const match = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    match.lastIndex = i;
    if (!match.test(text)) fail();
    i = match.lastIndex;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      space();
      if (text[i] !== close) {
        for (;;) {
          if (c === '{') {
            space();
            string();
            space();
            take(':');
          }
          value();
          space();
          if (text[i] === close) break;
          take(',');
        }
      }
      i++;
      return;
    }
    if (c === '"') return string();
    const literal = ['true', 'false', 'null'].find((w) => w[0] === c);
    if (literal) {
      for (const char of literal) take(char);
      return;
    }
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (stop) {
    return stop instanceof ScanStop ? stop.offset : undefined; // a RangeError: nested too deeply to scan
  }
}

class ScanStop {
  constructor(public readonly offset: number) {}
}

/**
 * A body-free description of a JSON syntax error: its class and position, e.g.
 * `SyntaxError at position 12`. `text` is the parsed text when known (the position is then
 * exact); otherwise only a position V8 states is kept, never the rest of its message.
 */
export function describeJsonSyntaxError(error: unknown, text?: string): string {
  const name = error instanceof Error ? error.name : 'SyntaxError';
  const offset = text !== undefined ? jsonSyntaxErrorOffset(text) : Number(/ at position (\d+)/.exec(String((error as Error)?.message))?.[1] ?? NaN);
  return offset === undefined || Number.isNaN(offset) ? `${name} (position unknown)` : `${name} at position ${offset}`;
}
