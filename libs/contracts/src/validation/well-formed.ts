import { isWellFormedText, WELL_FORMED_MESSAGE } from '../common/primitives.js';
import { formatPath, type ValidationIssue } from './validation-error.js';

/**
 * The first string (value or object key) of a parsed JSON body that holds a lone UTF-16 surrogate,
 * as a validation issue naming its path, or null. Iterative: a body nested deeper than any schema
 * allows must not exhaust the stack before the schema refuses it. Free text anywhere in a request
 * (a store name, a reason, a hostname) reaches canonical JSON, hashes or JSON columns, which all
 * refuse such strings; this keeps them out at the edge of the API, with the field named.
 */
interface Step {
  value: unknown;
  key: string | number | null;
  parent: Step | null;
}

function pathOf(step: Step, last?: string): (string | number)[] {
  const path: (string | number)[] = last === undefined ? [] : [last];
  for (let s: Step | null = step; s && s.key !== null; s = s.parent) path.push(s.key);
  return path.reverse();
}

export function loneSurrogateIssue(value: unknown): ValidationIssue | null {
  // Each step links to its parent: the path is built only for the string found, so a deep body
  // costs linear time, not a copy of its path per level.
  const stack: Step[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const current = step.value;
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) return { path: formatPath(pathOf(step)), code: 'custom', message: WELL_FORMED_MESSAGE };
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i -= 1) stack.push({ value: current[i], key: i, parent: step });
    } else if (current !== null && typeof current === 'object') {
      const keys = Object.keys(current);
      for (const key of keys) {
        if (!isWellFormedText(key)) return { path: formatPath(pathOf(step, key)), code: 'custom', message: `key ${WELL_FORMED_MESSAGE}` };
      }
      for (let i = keys.length - 1; i >= 0; i -= 1) stack.push({ value: (current as Record<string, unknown>)[keys[i]!], key: keys[i]!, parent: step });
    }
  }
  return null;
}
