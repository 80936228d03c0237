import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@app/testing';

const root = repoRoot();
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const json = <T>(file: string) => JSON.parse(read(file)) as T;

describe('the workspace', () => {
  const libs = readdirSync(path.join(root, 'libs')).sort();

  it('should give every lib the same @app alias in tsconfig, .swcrc and nest-cli.json', () => {
    const tsPaths = json<{ compilerOptions: { paths: Record<string, string[]> } }>('tsconfig.json').compilerOptions.paths;
    const swcPaths = json<{ jsc: { paths: Record<string, string[]> } }>('.swcrc').jsc.paths;
    const nestLibs = Object.entries(json<{ projects: Record<string, { type: string; root: string }> }>('nest-cli.json').projects)
      .filter(([, p]) => p.type === 'library')
      .map(([name]) => name)
      .sort();
    expect(Object.keys(tsPaths).sort()).toEqual(libs.map((l) => `@app/${l}`));
    for (const lib of libs) {
      expect(tsPaths[`@app/${lib}`]).toEqual([`./libs/${lib}/src/index.ts`]);
      expect(swcPaths[`@app/${lib}`]).toEqual([`libs/${lib}/src/index.ts`]);
    }
    expect(nestLibs).toEqual(libs);
  });

  it('should be a Nest monorepo with the four apps', () => {
    const nest = json<{ monorepo: boolean; projects: Record<string, { type: string }> }>('nest-cli.json');
    expect(nest.monorepo).toBe(true);
    expect(readdirSync(path.join(root, 'apps')).sort()).toEqual(['backoffice', 'cloud', 'edge', 'store-agent']);
  });

  it('should have .ci/run call exactly the README test command', () => {
    const readme = read('README.md');
    const testCommand = /<!-- test-command -->\s*```sh\n(.+)\n```/.exec(readme)?.[1];
    expect(testCommand).toBe('npm test');
    const ciLines = read('.ci/run')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith('set ') && !l.startsWith('cd '));
    expect(ciLines).toEqual([testCommand]);
  });

  it('should have the root scripts SYSTEM.md section 6 names', () => {
    const scripts = Object.keys(json<{ scripts: Record<string, string> }>('package.json').scripts);
    expect(scripts).toEqual(expect.arrayContaining(['build', 'db:migrate', 'start:cloud', 'start:edge', 'start:agent', 'demo', 'test']));
  });

  it('should link, from the README and docs/, only to files inside the repository', () => {
    const pages = [
      'README.md',
      ...readdirSync(path.join(root, 'docs'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => path.join('docs', f)),
    ];
    const dead: string[] = [];
    for (const page of pages) {
      for (const [, target] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:|^#/.test(target!)) continue;
        const file = path.resolve(root, path.dirname(page), target!.split('#')[0]!);
        if (!file.startsWith(`${root}${path.sep}`) || !existsSync(file)) dead.push(`${page}: ${target}`);
      }
    }
    expect(pages.length).toBeGreaterThan(5);
    expect(dead).toEqual([]);
  });
});
