import { readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * Docker's .dockerignore rules, to tell what a `docker build` context holds without a Docker
 * engine. A port of moby's ignore-file reader and its patternmatcher (MatchesOrParentMatches):
 * npm's `ignore` implements .gitignore rules, which differ (there, `node_modules` matches at any
 * depth; in a .dockerignore it matches only at the root).
 *
 * - `#` starts a comment only as a line's first character; blank lines are skipped.
 * - Each pattern is trimmed and cleaned like Go's filepath.Clean; a leading `/` is dropped, so
 *   patterns are relative to the context root. `!` makes an exception.
 * - `*` is any run of characters but `/`, `?` one such character, `[...]` a class, `\` escapes,
 *   `**` any number of directories (none included).
 * - A path is excluded when a pattern matches it or one of its parent directories; the last
 *   pattern that matches decides.
 */
export class DockerignoreMatcher {
  private readonly patterns: CompiledPattern[];

  constructor(patterns: readonly string[]) {
    this.patterns = patterns.map(compilePattern);
  }

  static fromFile(text: string): DockerignoreMatcher {
    return new DockerignoreMatcher(readDockerignore(text));
  }

  /** Whether `file` (a slash-separated path relative to the context root) is left out. */
  excludes(file: string): boolean {
    const cleaned = cleanPath(file);
    if (cleaned === '.') return false;
    const parent = path.posix.dirname(cleaned);
    const parentDirs = parent === '.' ? [] : parent.split('/');
    let excluded = false;
    for (const pattern of this.patterns) {
      // An inclusion cannot change an excluded path, nor an exception a path still included.
      if (pattern.exception !== excluded) continue;
      let match = pattern.matches(cleaned);
      for (let i = 0; !match && i < parentDirs.length; i++) match = pattern.matches(parentDirs.slice(0, i + 1).join('/'));
      if (match) excluded = !pattern.exception;
    }
    return excluded;
  }

  /**
   * Whether the walk may skip the whole excluded directory `dir`: only when no exception could
   * take back a path inside it (the same shortcut as Docker's context walk).
   */
  canSkipDirectory(dir: string): boolean {
    const dirSlash = `${cleanPath(dir)}/`;
    return !this.patterns.some((p) => p.exception && `${p.text}/`.startsWith(dirSlash));
  }
}

/** The patterns of a .dockerignore file, as Docker reads them. */
export function readDockerignore(text: string): string[] {
  const patterns: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.startsWith('#')) continue;
    let pattern = line.trim();
    if (pattern === '') continue;
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern !== '') {
      pattern = cleanPath(pattern);
      if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    }
    patterns.push(exception ? `!${pattern}` : pattern);
  }
  return patterns;
}

/**
 * The files of a build context: every file under `root` (paths relative to it, sorted) that the
 * matcher leaves in. Directories appear through their files only.
 */
export function listBuildContext(root: string, matcher: DockerignoreMatcher): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
      const isDir = entry.isDirectory();
      if (matcher.excludes(rel)) {
        if (isDir && !matcher.canSkipDirectory(rel)) walk(rel);
        continue;
      }
      if (isDir) walk(rel);
      else files.push(rel);
    }
  };
  walk('');
  return files.sort();
}

interface CompiledPattern {
  text: string;
  exception: boolean;
  matches(file: string): boolean;
}

function compilePattern(raw: string): CompiledPattern {
  let text = cleanPath(raw.trim());
  const exception = text.startsWith('!');
  if (exception) {
    if (text.length === 1) throw new Error('illegal exception pattern: "!"');
    text = text.slice(1);
  }
  return { text, exception, matches: compileMatch(text) };
}

/** patternmatcher's compile: an exact, prefix (`dir/**`), suffix (`**\/name`) or regexp match. */
function compileMatch(pattern: string): (file: string) => boolean {
  let regex = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '*') {
      if (chars[i + 1] === '*') {
        const atStart = i === 0;
        i++;
        if (chars[i + 1] === '/') i++;
        if (i + 1 >= chars.length) {
          // A trailing ** matches everything below, as in .gitignore.
          if (kind === 'exact') kind = 'prefix';
          else {
            regex += '.*';
            kind = 'regexp';
          }
        } else {
          regex += '(.*/)?';
          kind = 'regexp';
        }
        if (atStart) kind = 'suffix';
      } else {
        regex += '[^/]*';
        kind = 'regexp';
      }
    } else if (ch === '?') {
      regex += '[^/]';
      kind = 'regexp';
    } else if ('.+()|{}$'.includes(ch)) {
      regex += `\\${ch}`;
    } else if (ch === '\\') {
      // A trailing backslash is a bad pattern (Go's filepath.Match refuses it).
      if (i + 1 >= chars.length) throw new Error(`bad .dockerignore pattern: ${pattern}`);
      regex += `\\${chars[++i]}`;
      kind = 'regexp';
    } else if (ch === '[' || ch === ']') {
      regex += ch;
      kind = 'regexp';
    } else regex += ch;
  }
  switch (kind) {
    case 'exact':
      return (file) => file === pattern;
    case 'prefix': {
      const prefix = pattern.slice(0, -2);
      return (file) => file.startsWith(prefix);
    }
    case 'suffix': {
      const suffix = pattern.slice(2);
      return (file) => file.endsWith(suffix) || (suffix.startsWith('/') && file === suffix.slice(1));
    }
    case 'regexp': {
      let re: RegExp;
      try {
        re = new RegExp(`${regex}$`, 'u');
      } catch {
        throw new Error(`bad .dockerignore pattern: ${pattern}`);
      }
      return (file) => re.test(file);
    }
  }
}

/** Go's path.Clean: no `.` or `..` steps where they can be resolved, no doubled or trailing slash. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const normalized = path.posix.normalize(p);
  return normalized.length > 1 && normalized.endsWith('/') ? normalized.slice(0, -1) : normalized;
}
