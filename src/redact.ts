/**
 * Text meant for somebody else (the run journal, `docker-lab report`'s bundle) without the
 * learner's secrets or their home folder. Pure: the caller reads the environment and the Docker
 * CLI's config and passes them in.
 *
 * The home folder becomes `~` first; then every known secret value (the environment variables
 * whose names say they are secret, registry credentials) is replaced wherever it appears; then
 * what *looks* like a secret is replaced whatever its source (`NAME=value` for a secret-looking
 * name, credentials in a URL, `docker login -p`, Bearer authorisations, well-known token shapes,
 * private keys). Known values are replaced once more at the very end, and that is a promise: no
 * earlier rewriting can bring one back, and the marker cannot spell one.
 */

/** What a redacted value is replaced with (unless a secret is part of it: see `markerFor`). */
export const REDACTED = '<redacted>';

/** Shorter known values would blot out ordinary words; they are still caught as `NAME=value`. */
const MIN_SECRET_LENGTH = 4;

/** Words that make a variable or key name secret: `GITHUB_TOKEN`, `db.password`, `api-key`. */
const SECRET_WORDS = new Set([
  'token',
  'tokens',
  'password',
  'passwords',
  'passwd',
  'secret',
  'secrets',
  'credential',
  'credentials',
  'apikey',
  'auth',
  'pat',
  'passphrase',
]);
/** Secret only after another word: `DB_PWD` is, the shell's `PWD` (a folder) is not. */
const SECRET_LAST_WORDS = new Set(['key', 'keys', 'pass', 'pwd']);
/** Run together with other words: `PGPASSWORD`, `identitytoken`, `clientSecret`. */
const SECRET_ENDINGS = /(password|passwd|token|secret|passphrase|apikey)s?$/i;

/**
 * Whether a variable or key name says its value is secret: DOCKER_AUTH_CONFIG, *_TOKEN,
 * *_PASSWORD, *_SECRET, *_API_KEY, MYSQL_PASS, `auth` in a Docker config. A bare `key` or `pass`
 * is not (`pass: true` is a check's verdict), `MYSQL_PASS` and `ACCESS_KEY` are.
 */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  if (lower === 'docker_auth_config') return true;
  const words = lower.split(/[_.-]+/).filter(Boolean);
  if (words.length === 0) return false;
  if (words.some((word) => SECRET_WORDS.has(word))) return true;
  if (SECRET_ENDINGS.test(lower.replace(/[_.-]/g, ''))) return true;
  return words.length > 1 && SECRET_LAST_WORDS.has(words[words.length - 1]!);
}

/** The values of the environment's secret-named variables (each only once). */
export function environmentSecrets(env: Record<string, string | undefined>): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value || !isSecretName(name)) continue;
    found.push(value);
    // DOCKER_AUTH_CONFIG holds a Docker config: its inner credentials count on their own too.
    if (value.trimStart().startsWith('{')) found.push(...dockerConfigSecrets(value));
  }
  return found;
}

/**
 * The credentials in a Docker CLI config (`~/.docker/config.json`, or DOCKER_AUTH_CONFIG):
 * each registry's `auth` (base64 of user:password), the password inside it, `password`,
 * `identitytoken` and `registrytoken`. A text that is not such JSON has none.
 */
export function dockerConfigSecrets(text: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return [];
  }
  const auths = (data as { auths?: unknown } | null)?.auths;
  if (!auths || typeof auths !== 'object') return [];
  const found: string[] = [];
  for (const entry of Object.values(auths as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof value !== 'string' || value === '' || key === 'username' || key === 'email')
        continue;
      found.push(value);
      if (key === 'auth') {
        const decoded = Buffer.from(value, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon >= 0 && colon < decoded.length - 1) found.push(decoded.slice(colon + 1));
      }
    }
  }
  return found;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A marker that neither contains a secret nor can join with its neighbours to spell one.
 * `<redacted>` is safe when no secret has `<` or `>` (an occurrence reaching into the marker
 * would hold one) and none is part of it. Otherwise (a password `dact`, or `<3>`), a run of one
 * character that no secret contains.
 */
function markerFor(secrets: readonly string[]): string {
  const unsafe = (secret: string) =>
    REDACTED.includes(secret) || secret.includes('<') || secret.includes('>');
  if (!secrets.some(unsafe)) return REDACTED;
  for (const char of '*#~%=+^!') {
    if (!secrets.some((secret) => secret.includes(char))) return char.repeat(8);
  }
  for (let code = 0x2591; ; code++) {
    const char = String.fromCodePoint(code);
    if (!secrets.some((secret) => secret.includes(char))) return char.repeat(8);
  }
}

/**
 * Replaces every occurrence of every secret in one left-to-right pass (longest first, so a
 * secret that contains another goes whole). A marker made of characters no secret has cannot
 * take part in a new occurrence, and a stretch between two replacements held none: the result
 * contains no secret.
 */
function replaceKnown(text: string, pattern: RegExp | undefined, marker: string): string {
  return pattern ? text.replace(pattern, marker) : text;
}

/**
 * `NAME=value`, `NAME: value`, `"name": "value"` for a secret-looking name. A name starts only
 * where a word does (the look-behind): tried at every letter of a long word, it would be
 * quadratic.
 */
const ASSIGNMENT =
  /(["']?)(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_.-]*)\1(\s*[=:]\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s"',;}]+)/g;
/** `scheme://user:password@host`. */
const URL_CREDENTIALS = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):([^@\s/]+)@/gi;
/**
 * `docker login -u me -p secret`, `--password secret`, `--password=secret`. Every pattern here
 * starts where a word does and looks a bounded way ahead: redaction stays linear on a megabyte
 * of output without a line break.
 */
const LOGIN_PASSWORD =
  /(\blogin\b[^\n]{0,300}?(?:--password(?:=|\s+)|\s-p(?:=|\s+)))([^\s-][^\s]*)/g;
/** `Authorization: Basic …`, `Bearer …` (not the word "Basic" in prose). */
const AUTHORIZATION =
  /\b(Authorization:\s*(?:Bearer|Basic|token)|Bearer)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const TOKEN_SHAPES = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bdckr_pat_[A-Za-z0-9_-]{10,}/g,
  /\bglpat-[A-Za-z0-9_-]{16,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];
const PRIVATE_KEY =
  /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;

/** What looks like a secret, replaced whatever its source. */
function redactShapes(text: string): string {
  let out = text.replace(PRIVATE_KEY, `-----BEGIN $1PRIVATE KEY----- ${REDACTED}`);
  out = out.replace(
    ASSIGNMENT,
    (whole, quote: string, name: string, sep: string, value: string) => {
      if (!isSecretName(name) || value === REDACTED) return whole;
      // `${DB_PASSWORD:-none}`: a shell expansion names the variable; its default is no secret.
      if (sep.trim() === ':' && /^[-=?+]/.test(value)) return whole;
      const quoted = /^["']/.test(value) ? `${value[0]}${REDACTED}${value[0]}` : REDACTED;
      return `${quote}${name}${quote}${sep}${quoted}`;
    },
  );
  out = out.replace(URL_CREDENTIALS, `$1:${REDACTED}@`);
  out = out.replace(LOGIN_PASSWORD, `$1${REDACTED}`);
  out = out.replace(AUTHORIZATION, `$1$2${REDACTED}`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, REDACTED);
  return out;
}

export interface RedactOptions {
  /** The environment whose secret-named variables' values must never appear. */
  env: Record<string, string | undefined>;
  /** The learner's home folder, shown as `~` (also under its real path, links resolved). */
  home?: string | readonly string[];
  /** Other values that must never appear (registry credentials from the Docker config). */
  secrets?: readonly string[];
}

export type Redact = (text: string) => string;

/** A redactor for one environment: `redact(text)` is `text` fit to hand to somebody else. */
export function makeRedactor(options: RedactOptions): Redact {
  const homes = [options.home ?? []]
    .flat()
    .filter((home) => home.length > 1)
    .map((home) => home.replace(/\/+$/, ''))
    .sort((a, b) => b.length - a.length);
  // The home folder as a whole path part: /home/ann and /home/ann/x, never /home/anna.
  const home = homes.length
    ? new RegExp(`(${homes.map(escapeRegExp).join('|')})(?=$|[/\\\\\\s"'):;,\\]}>])`, 'g')
    : undefined;
  const atHome = (text: string) => (home ? text.replace(home, '~') : text);
  const given = [...environmentSecrets(options.env), ...(options.secrets ?? [])];
  // A secret that holds the home folder (a token file's path) is also known as it reads with ~.
  const secrets = [...new Set([...given, ...given.map(atHome)])].filter(
    (secret) => secret.length >= MIN_SECRET_LENGTH,
  );
  secrets.sort((a, b) => b.length - a.length);
  const known = secrets.length ? new RegExp(secrets.map(escapeRegExp).join('|'), 'g') : undefined;
  const marker = markerFor(secrets);
  // The home folder first, so that a secret inside its path does not hide the rest of it.
  return (text) =>
    replaceKnown(redactShapes(replaceKnown(atHome(text), known, marker)), known, marker);
}
