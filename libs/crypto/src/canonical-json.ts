/**
 * RFC 8785 JSON Canonicalization Scheme. Signatures are computed over these bytes, so the signer
 * and the verifier must agree exactly: object keys sorted by UTF-16 code units, numbers in the
 * ECMAScript shortest form, strings escaped as JSON.stringify does, no whitespace.
 */
export class CanonicalJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CanonicalJsonError';
  }
}

export function canonicalize(value: unknown): string {
  try {
    return fast(value);
  } catch (error) {
    // The fast path tracks no location; the slow one repeats the work to name where it failed.
    if (error instanceof CanonicalJsonError) return serialize(value, '$');
    throw error;
  }
}

const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

/**
 * The same serialisation without building a location string for every value: ingest hashes every
 * event it receives, so this is on the hot path. Any problem throws a bare CanonicalJsonError.
 */
function fast(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError('');
      return JSON.stringify(value);
    case 'string':
      if (!isWellFormed(value)) throw new CanonicalJsonError('');
      return JSON.stringify(value);
    case 'object': {
      const withToJson = value as { toJSON?: () => unknown };
      if (typeof withToJson.toJSON === 'function') return fast(withToJson.toJSON());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i += 1) {
          if (value[i] === undefined) throw new CanonicalJsonError('');
          out += (i === 0 ? '' : ',') + fast(value[i]);
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        if (!isWellFormed(key)) throw new CanonicalJsonError('');
        out += `${first ? '' : ','}${JSON.stringify(key)}:${fast(item)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new CanonicalJsonError('');
  }
}

function serialize(value: unknown, path: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} is not a JSON number`);
      // ECMAScript Number-to-String is the serialisation RFC 8785 prescribes; -0 becomes 0.
      return JSON.stringify(value);
    case 'string':
      return serializeString(value, path);
    case 'object':
      return serializeObject(value, path);
    default:
      throw new CanonicalJsonError(`${path}: a ${typeof value} is not JSON`);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function serializeString(value: string, path: string): string {
  if (LONE_SURROGATE.test(value)) throw new CanonicalJsonError(`${path}: string holds a lone surrogate`);
  return JSON.stringify(value);
}

function serializeObject(value: object, path: string): string {
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return serialize(withToJson.toJSON(), path);
  if (Array.isArray(value)) {
    return `[${value
      .map((item, index) => {
        if (item === undefined) throw new CanonicalJsonError(`${path}[${index}]: undefined is not JSON`);
        return serialize(item, `${path}[${index}]`);
      })
      .join(',')}]`;
  }
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 requires.
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${serializeString(key, path)}:${serialize(record[key], `${path}.${key}`)}`).join(',')}}`;
}
