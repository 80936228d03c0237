// Types of scripts/env-examples.mjs, for the tests that import it.
export interface Machine {
  example: string;
  compose: string;
  sections: string[];
  where: string;
}

export interface EnvExampleSection {
  heading: string;
  key: string;
  blocks: { comments: string[]; variables: { name: string; line: string }[] }[];
}

export const MACHINES: Machine[];
export const COMPOSE_SECTION: string;
export function parseEnvExample(text: string): EnvExampleSection[];
export function composeVariables(composeText: string): { forced: Set<string>; interpolated: Set<string> };
export function renderMachineExample(machine: Machine, envExampleText: string, composeText: string): string;
export function renderEnvExamples(root: string): Record<string, string>;
