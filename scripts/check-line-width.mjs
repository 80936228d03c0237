// Part of `npm run lint`: no line of the TypeScript sources is longer than Prettier's printWidth
// (.prettierrc.json). Prettier wraps code but never splits a string, so this holds the strings to it too.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const width = JSON.parse(readFileSync(new URL('../.prettierrc.json', import.meta.url), 'utf8')).printWidth;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.tsx'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !f.startsWith('apps/cloud/src/database/generated/'));
const long = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the work tree
  }
  text.split('\n').forEach((line, i) => {
    if (line.length > width) long.push(`${file}:${i + 1}: ${line.length} characters`);
  });
}
if (long.length > 0) {
  console.error(`${long.length} line(s) longer than ${width} characters (split the string, or let Prettier wrap the code):\n${long.join('\n')}`);
  process.exit(1);
}
