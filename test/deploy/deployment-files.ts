import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '@app/testing';

/** What the deployment tests read of the compose files and the Dockerfiles, parsed. */
export const root = repoRoot();
export const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: unknown;
  env_file?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  logging?: { driver?: string; options?: Record<string, string> };
  network_mode?: string;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

export const compose = (file: string) => parse(read(file)) as ComposeFile;

/** The variables an example .env file sets (NAME=value lines), with their values. */
export function envFileVariables(text: string): Map<string, string> {
  return new Map([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

export interface DockerInstruction {
  stage: number;
  keyword: string;
  args: string;
}

/** A Dockerfile's instructions (continuation lines joined, comments dropped), each with the index of its stage. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let stage = -1;
  let pending = '';
  for (const raw of text.split('\n')) {
    if (pending === '' && /^\s*#/.test(raw)) continue;
    const line = raw.replace(/\s+$/, '');
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (full === '') continue;
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(full)!;
    if (keyword!.toUpperCase() === 'FROM') stage++;
    instructions.push({ stage, keyword: keyword!.toUpperCase(), args: args! });
  }
  return instructions;
}

/** A COPY's flags, sources and destination (the JSON form or the shell form). */
export function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S+))?\s+/.exec(rest)) {
    flags[m[1]!] = m[2] ?? 'true';
    rest = rest.slice(m[0].length);
  }
  const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return { flags, sources: parts.slice(0, -1), dest: parts.at(-1)! };
}
