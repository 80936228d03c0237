import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTempDir, repoRoot, type TempDir } from '@app/testing';
import { DockerignoreMatcher, listBuildContext, readDockerignore } from './dockerignore.js';

const excludes = (patterns: string[], file: string) => new DockerignoreMatcher(patterns).excludes(file);

describe(DockerignoreMatcher.name, () => {
  describe('readDockerignore', () => {
    it('should read patterns as Docker does: comments only at the line start, trimmed, cleaned, the leading slash dropped', () => {
      const text = '\uFEFFtest1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n  # not a comment\n! /inverted/abs/path\n!\n! \n docs/./api/../ \r\n';
      expect(readDockerignore(text)).toEqual(['test1', 'test2', 'a/file/here', 'lastfile', '# not a comment', '!inverted/abs/path', '!', '!', 'docs']);
    });
  });

  describe('excludes', () => {
    // Cases from moby/patternmatcher's own tests (MatchesOrParentMatches): [pattern, path, excluded].
    it.each<[string, string, boolean]>([
      ['**', 'file', true],
      ['**', 'dir/file', true],
      ['**/', 'dir/file', true],
      ['**/**', 'dir/file', true],
      ['dir/**', 'dir/file', true],
      ['dir/**', 'dir/dir2/file', true],
      ['**/dir', 'dir', true],
      ['**/dir', 'dir/file', true],
      ['**/dir2/*', 'dir/dir2/file', true],
      ['**/dir2/**', 'dir/dir2/dir3/file', true],
      ['**file', 'dir/dir/file', true],
      ['**/file*.txt', 'dir/dir/file.txt', true],
      ['**/**/*.txt2', 'dir/dir/file.txt', false],
      ['**/*.txt', 'file.txt', true],
      ['a**/*.txt', 'a/dir/dir/file.txt', true],
      ['a/*.txt', 'a/dir/file.txt', false],
      ['a/*.txt', 'a/file.txt', true],
      ['a[b-d]e', 'ae', false],
      ['a[b-d]e', 'ace', true],
      ['a[^b-d]e', 'aze', true],
      ['.*', '.foo', true],
      ['.*', 'foo', false],
      ['abc.def', 'abcdef', false],
      ['abc?def', 'abcZdef', true],
      ['abc?def', 'abcdef', false],
      ['**/foo/bar', 'dir/dir2/foo/bar', true],
      ['abc/**', 'abc', false],
      ['abc/**', 'abc/def/ghi', true],
      ['**/.foo', 'bar.foo', false],
      ['a(b)c/def', 'a(b)c/def', true],
      ['a.|)$(}+{bc', 'a.|)$(}+{bc', true],
      ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
      ['a\\*b', 'a*b', true],
      ['a\\*b', 'ab', false],
      ['a?b', 'a☺b', true],
      ['a*b', 'a/b', false],
      ['[\\]a]', ']', true],
      ['[x\\-]', '-', true],
      ['[x\\-]', 'z', false],
    ])('pattern %j on %j should exclude: %s', (pattern, file, expected) => {
      expect(excludes([pattern], file)).toBe(expected);
    });

    it('should anchor a plain name at the root, unlike .gitignore, and reach any depth only with **/', () => {
      expect(excludes(['node_modules'], 'node_modules/jest/package.json')).toBe(true);
      expect(excludes(['node_modules'], 'apps/edge/node_modules/x/index.js')).toBe(false);
      expect(excludes(['**/node_modules'], 'apps/edge/node_modules/x/index.js')).toBe(true);
      // The file reader, not the matcher, drops the leading slash (as moby's does).
      expect(DockerignoreMatcher.fromFile('/dist/\n').excludes('dist/apps/cloud/src/main.js')).toBe(true);
      expect(excludes(['dist'], 'apps/backoffice/dist/index.html')).toBe(false);
    });

    it('should let the last matching pattern decide, exceptions included', () => {
      expect(excludes(['*.go', '!fileutils.go'], 'fileutils.go')).toBe(false);
      expect(excludes(['!fileutils.go', '*.go'], 'fileutils.go')).toBe(true);
      expect(excludes(['docs', '!docs/README.md'], 'docs/README.md')).toBe(false);
      expect(excludes(['docs/', '!docs/README.md'], 'docs/guide.md')).toBe(true);
      expect(excludes(['**/.env.*', '!.env.example'], '.env.example')).toBe(false);
      expect(excludes(['**/.env.*', '!.env.example'], 'apps/cloud/.env.example')).toBe(true);
      expect(excludes(['**', '!util/docker/web'], 'util/docker/web/foo')).toBe(false);
      expect(excludes(['**', '!util/docker/web', 'util/docker/web/foo'], 'util/docker/web/foo')).toBe(true);
    });

    it('should never exclude the context root itself, and nothing without patterns', () => {
      expect(excludes(['*'], '.')).toBe(false);
      expect(excludes([], 'any/path/there')).toBe(false);
    });

    it.each([['!'], ['['], ['a[^bc'], ['dir\\']])('should refuse the bad pattern %j', (pattern) => {
      expect(() => new DockerignoreMatcher([pattern])).toThrow();
    });
  });

  describe('listBuildContext', () => {
    let tmp: TempDir;

    beforeAll(async () => {
      tmp = await createTempDir('dockerignore');
    });

    afterAll(() => tmp.remove());

    const put = (file: string, content = 'x') => {
      mkdirSync(path.dirname(path.join(tmp.path, file)), { recursive: true });
      writeFileSync(path.join(tmp.path, file), content);
    };

    it("should leave out, with the repository's .dockerignore, everything a developer's checkout holds that the image must not", () => {
      // What a checkout looks like after npm ci, npm run build, npm run demo and the tests.
      const kept = [
        '.dockerignore',
        '.env.example',
        '.swcrc',
        'package.json',
        'package-lock.json',
        'prisma/schema.prisma',
        'prisma/migrations/20240101000000_init/migration.sql',
        'apps/cloud/src/main.ts',
        'apps/backoffice/index.html',
        'apps/backoffice/src/main.tsx',
        'libs/contracts/src/index.ts',
        'scripts/build.mjs',
        'docker/app-entrypoint.sh',
        'deploy/edge.env.example',
        'docs/deployment.md',
      ];
      const left = [
        '.env',
        '.env.local',
        '.env.production',
        'apps/cloud/.env',
        '.data/cloud-dev-keys.json',
        'data/edge/hub.sqlite',
        'data/agent/credentials.json',
        'node_modules/@swc/core/package.json',
        'node_modules/.bin/jest',
        'apps/backoffice/node_modules/.vite/deps/react.js',
        'dist/apps/cloud/src/main.js',
        'apps/backoffice/dist/index.html',
        'apps/cloud/src/database/generated/client.ts',
        'coverage/lcov.info',
        'test-results/report.json',
        'tmp/scratch.txt',
        'logs/cloud.log',
        'npm-debug.log',
        'libs/sync/hub.sqlite-wal',
        '.git/HEAD',
      ];
      for (const file of [...kept, ...left]) put(file);
      put('.dockerignore', readFileSync(path.join(repoRoot(), '.dockerignore'), 'utf8'));

      const context = listBuildContext(tmp.path, DockerignoreMatcher.fromFile(readFileSync(path.join(tmp.path, '.dockerignore'), 'utf8')));
      expect(context).toEqual([...kept].sort());
    });
  });
});
