import { isWellFormedText, WELL_FORMED_MESSAGE } from '../common/primitives.js';
import { formatPath, type ValidationIssue } from './validation-error.js';

/**
 * The first string (value or object key) of a parsed JSON body that holds a lone UTF-16 surrogate,
 * as a validation issue naming its path, or null. Iterative: a body nested deeper than any schema
 * allows must not exhaust the stack before the schema refuses it. Free text anywhere in a request
 * (a store name, a reason, a hostname) reaches canonical JSON, hashes or JSON columns, which all
 * refuse such strings; this keeps them out at the edge of the API, with the field named.
 */
export function loneSurrogateIssue(value: unknown): ValidationIssue | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) return { path: formatPath(path), code: 'custom', message: WELL_FORMED_MESSAGE };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], path: [...path, i] });
    } else if (current !== null && typeof current === 'object') {
      const keys = Object.keys(current);
      for (const key of keys) {
        if (!isWellFormedText(key)) return { path: formatPath([...path, key]), code: 'custom', message: `key ${WELL_FORMED_MESSAGE}` };
      }
      for (let i = keys.length - 1; i >= 0; i -= 1) stack.push({ value: (current as Record<string, unknown>)[keys[i]!], path: [...path, keys[i]!] });
    }
  }
  return null;
}
