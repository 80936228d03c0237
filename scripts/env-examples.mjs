// Writes the .env example of each machine the compose files run on (deploy/<machine>.env.example)
// from .env.example, the one place every setting is documented. The cloud's server and a store's
// edge box run different apps that share names (PORT, HOST, LOG_LEVEL) with different values, so
// each gets only its apps' sections, without the variables its compose file sets itself.
//   node scripts/env-examples.mjs          # rewrite them after editing .env.example
//   node scripts/env-examples.mjs --check  # exit 1 when one is stale (test/deploy checks this too)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/** Each machine: its example, its compose file, and the sections of .env.example it takes. */
export const MACHINES = [
  { example: 'deploy/cloud.env.example', compose: 'docker-compose.cloud.yml', sections: ['apps/cloud'], where: "the cloud's server" },
  { example: 'deploy/edge.env.example', compose: 'docker-compose.edge.yml', sections: ['apps/edge', 'apps/store-agent'], where: "each store's edge box" },
];

/** The section of .env.example with the compose files' own variables: a machine takes those its compose file interpolates. */
export const COMPOSE_SECTION = 'docker-compose.*.yml';

const SECTION = /^# -{8,} .*\(([^)]+)\)\s*$/;
const VARIABLE = /^([A-Z_][A-Z0-9_]*)=/;

/**
 * .env.example as sections of blocks: a block is the comment lines before one or more variables
 * (or a comment alone).
 * @param {string} text
 */
export function parseEnvExample(text) {
  /** @type {{ heading: string; key: string; blocks: { comments: string[]; variables: { name: string; line: string }[] }[] }[]} */
  const sections = [];
  let block = null;
  for (const line of text.split('\n')) {
    const heading = SECTION.exec(line);
    if (heading) {
      sections.push({ heading: line, key: heading[1], blocks: [] });
      block = null;
      continue;
    }
    const section = sections.at(-1);
    if (!section || line.trim() === '') {
      block = null;
      continue;
    }
    const variable = VARIABLE.exec(line);
    if (variable) {
      if (!block) section.blocks.push((block = { comments: [], variables: [] }));
      block.variables.push({ name: variable[1], line });
    } else if (line.startsWith('#')) {
      if (!block || block.variables.length > 0) section.blocks.push((block = { comments: [], variables: [] }));
      block.comments.push(line);
    } else throw new Error(`.env.example: not a comment nor NAME=value: ${line}`);
  }
  return sections;
}

/**
 * What a compose file decides itself: the `environment:` of its services that read .env (it
 * overrides env_file), and the variables it interpolates.
 * @param {string} composeText
 */
export function composeVariables(composeText) {
  const services = Object.values(parse(composeText).services ?? {});
  const forced = new Set(services.filter((s) => s.env_file).flatMap((s) => Object.keys(s.environment ?? {})));
  const interpolated = new Set([...composeText.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]));
  return { forced, interpolated };
}

/**
 * The example of one machine.
 * @param {(typeof MACHINES)[number]} machine
 * @param {string} envExampleText
 * @param {string} composeText
 */
export function renderMachineExample(machine, envExampleText, composeText) {
  const sections = parseEnvExample(envExampleText);
  const { forced, interpolated } = composeVariables(composeText);
  for (const key of machine.sections) if (!sections.some((s) => s.key === key)) throw new Error(`.env.example has no section (${key})`);
  const keeps = (section, name) => (section.key === COMPOSE_SECTION ? interpolated.has(name) : !forced.has(name));

  const out = [
    `# The .env of ${machine.where}, for ${machine.compose}: cp ${machine.example} .env`,
    '# Generated from .env.example by `node scripts/env-examples.mjs`: edit that file, then run it.',
    '# Every variable here reaches the apps (env_file: .env); an empty value leaves the default.',
    ...wrapComment(`${machine.compose} sets these itself, whatever this file says: ${[...forced].sort().join(', ')}.`),
  ];
  const seen = new Set();
  for (const section of sections) {
    if (!machine.sections.includes(section.key) && section.key !== COMPOSE_SECTION) continue;
    const lines = [];
    for (const block of section.blocks) {
      const variables = block.variables.filter((v) => keeps(section, v.name));
      if (block.variables.length > 0 && variables.length === 0) continue;
      for (const v of variables) {
        if (seen.has(v.name)) throw new Error(`${machine.example}: ${v.name} would be set twice (sections of .env.example for one machine must not repeat a variable)`);
        seen.add(v.name);
      }
      lines.push(...block.comments, ...variables.map((v) => v.line));
    }
    if (lines.length > 0) out.push('', section.heading, ...lines);
  }
  return `${out.join('\n')}\n`;
}

function wrapComment(text, width = 100) {
  const lines = [];
  let line = '#';
  for (const word of text.split(' ')) {
    if (line.length + 1 + word.length > width && line !== '#') {
      lines.push(line);
      line = '# ';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** Every machine's example as it should be: { path relative to root: content }. */
export function renderEnvExamples(root) {
  const envExample = readFileSync(path.join(root, '.env.example'), 'utf8');
  return Object.fromEntries(MACHINES.map((m) => [m.example, renderMachineExample(m, envExample, readFileSync(path.join(root, m.compose), 'utf8'))]));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const root = path.resolve(import.meta.dirname, '..');
  const check = process.argv.includes('--check');
  const stale = [];
  for (const [file, content] of Object.entries(renderEnvExamples(root))) {
    let current = null;
    try {
      current = readFileSync(path.join(root, file), 'utf8');
    } catch {
      // missing: stale
    }
    if (current === content) continue;
    stale.push(file);
    if (check) continue;
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), content);
  }
  if (check && stale.length > 0) {
    console.error(`stale: ${stale.join(', ')}: run node scripts/env-examples.mjs`);
    process.exit(1);
  }
  console.log(check ? 'env examples up to date' : stale.length > 0 ? `wrote ${stale.join(', ')}` : 'env examples already up to date');
}
