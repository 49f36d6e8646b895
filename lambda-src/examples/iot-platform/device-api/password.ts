import { randomInt } from 'node:crypto';

// Device passwords are generated, returned once and never stored or logged here. They meet
// Cognito's default policy (at least 8 characters with a lower-case letter, an upper-case
// letter, a digit and a symbol) whatever policy the pool keeps, by including one of each.

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
// Symbols Cognito accepts that need no quoting in a shell or a JSON string.
const SYMBOLS = '!#%+-=@^_~';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

export const PASSWORD_LENGTH = 32;

/** A random password of 32 characters, at least one from each class, in random order. */
export function generatePassword(): string {
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < PASSWORD_LENGTH) chars.push(pick(ALL));
  // Fisher-Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)];
}
