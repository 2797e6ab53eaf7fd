/**
 * A password's strength, judged in the browser as it is typed. The server's rules
 * (tessera.security.passwords.check_password_rules) decide what is accepted: at least 10 and
 * at most 256 characters, not blank, not the email address. The meter only guides beyond them:
 * length counts most, then variety; well-known weak patterns count against.
 */

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** 0: not accepted by the server; 1 weak … 4 strong. */
export type Strength = 0 | 1 | 2 | 3 | 4;

/** What to do about it, as keys of the "public" namespace (password.hint.*). */
export type PasswordHint =
  | "tooShort"
  | "tooLong"
  | "isEmail"
  | "longer"
  | "mix"
  | "repeated"
  | "common";

export interface PasswordVerdict {
  strength: Strength;
  hints: PasswordHint[];
}

const COMMON = [
  "password",
  "passwort",
  "123456",
  "qwerty",
  "azerty",
  "letmein",
  "welcome",
  "iloveyou",
  "admin",
  "abc123",
  "111111",
  "tessera",
];

export function judgePassword(password: string, email = ""): PasswordVerdict {
  if (password.length > PASSWORD_MAX) return { strength: 0, hints: ["tooLong"] };
  if (email && password.trim().toLowerCase() === email.trim().toLowerCase()) {
    return { strength: 0, hints: ["isEmail"] };
  }
  if (password.trim().length < PASSWORD_MIN) return { strength: 0, hints: ["tooShort"] };

  const hints: PasswordHint[] = [];
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9\s]/, /\s/].filter((kind) =>
    kind.test(password),
  ).length;
  const lower = password.toLowerCase();
  const common = COMMON.some((word) => lower.includes(word));
  const repeated = /(.)\1{3,}/.test(password) || new Set(password).size <= password.length / 3;

  // Length is worth most: a long passphrase of plain words beats a short jumble.
  let points = password.length >= 24 ? 4 : password.length >= 20 ? 3 : password.length >= 14 ? 2 : 1;
  if (kinds >= 3) points += 1;
  if (common) points -= 1;
  if (repeated) points -= 1;

  if (password.length < 14) hints.push("longer");
  if (kinds < 3 && password.length < 20) hints.push("mix");
  if (repeated) hints.push("repeated");
  if (common) hints.push("common");
  const strength = Math.min(4, Math.max(1, points)) as Strength;
  return { strength, hints: strength === 4 ? [] : hints };
}
